"""RFC 8785 canonical JSON: our small function against the `rfc8785` package."""

import pytest

from pressroom.trust.offline import canonical_json

rfc8785 = pytest.importorskip("rfc8785")

SAMPLES = [
    {"b": 1, "a": [True, False, None], "": "", "é": "ü", "\u20ac": 2, "\U0001f600": "x"},
    {"text": "line\nbreak \"quoted\" back\\slash \t tab \u0001 \u007f \u2028 मंत्री اردو"},
    {"n": [0, -1, 2**53 - 1, -(2**53 - 1)], "nested": {"z": {}, "y": []}},
    {"\ufb33": 1, "\U00010000": 2, "\uffff": 3, "a\u0000": 4},
]


@pytest.mark.parametrize("value", SAMPLES)
def test_same_bytes_as_rfc8785(value):
    assert canonical_json(value) == rfc8785.dumps(value)


def test_real_records_canonicalise_as_rfc8785(shared_corpus):
    import json

    for path in sorted((shared_corpus / "pib-2026").rglob("*.json"))[:100]:
        value = json.loads(path.read_text(encoding="utf-8"))
        value = {k: v for k, v in value.items() if not isinstance(v, float)}
        assert canonical_json(value) == rfc8785.dumps(value), path


def test_floats_are_refused():
    with pytest.raises(TypeError):
        canonical_json({"x": 1.5})


def test_a_record_takes_the_c_encoder_and_gives_the_same_bytes(monkeypatch):
    from pressroom.trust import offline

    record = offline.record_form(
        release_id=1548606, language="hi", revision=2, pib_id=None, ministry="मंत्रालय",
        bureau="Delhi", posted_at="2026-01-01T10:00:00+05:30", title='A "quoted"\ttitle',
        subtitles=["one", "two"], body_text="line\nbreak \u0001 \u2028 اردو", sign_off="X",
        status="published", previous="ab" * 32)
    expected = rfc8785.dumps(record)

    def slow_path_used(*a):
        raise AssertionError("the slow encoder ran for a plain record")

    monkeypatch.setattr(offline, "_jcs", slow_path_used)
    assert canonical_json(record) == expected


def test_values_beside_the_fast_path_still_canonicalise():
    # Non-ASCII keys and subclasses of str go the slow way; the bytes are RFC 8785's either way.
    class Name(str):
        pass

    for value in ({"é": 1, "e": 2}, {"k": Name("v")}, [{"\U0001f600": 1, "\uffff": 2}]):
        assert canonical_json(value) == rfc8785.dumps(value)
    with pytest.raises(ValueError):
        canonical_json({"n": 2**53})


def test_any_plain_value_gives_rfc8785_bytes():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
    scalars = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | text
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(text, inner, max_size=4), max_leaves=20)

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a busy machine
    @given(values)
    def same(value):
        assert canonical_json(value) == rfc8785.dumps(value)

    same()
