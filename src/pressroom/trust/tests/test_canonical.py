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
