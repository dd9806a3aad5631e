"""The fast paths of norm_words and shingles give exactly what the plain definitions give:
the near-duplicate index holds their hashes, so any change would orphan every stored one."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.trust import textmatch
from pressroom.trust.textmatch import _MIX, MASK64, SAMPLE_BITS, WORD, _th, normalise


def plain_norm_words(text: str) -> list[str]:
    return WORD.findall(normalise(text))


def plain_shingles(norms: list[str]) -> set[int]:
    th = [_th(w) for w in norms]
    out = set()
    for i in range(len(th) - 4):
        if not (th[i] ^ (th[i + 4] >> 5)) & ((1 << SAMPLE_BITS) - 1):
            h = (((th[i] * 31 + th[i + 1]) * 31 + th[i + 2]) * 31 + th[i + 3]) * 31 + th[i + 4]
            h = (h * _MIX) & MASK64
            out.add(h - (1 << 64) if h >> 63 else h)
    return out


# ASCII, the separators the fast path spaces out, and what must keep the slow path:
# Devanagari with its vowel signs, other scripts' digits, combining marks, joiners, ligatures.
PIECES = st.sampled_from([
    "a", "Z", "7", " ", "_", "-", ".", ",", "\n", "\t", "\x1f", "'", "Visitor Counter : 1,234",
    "VISITOR  counter 99", "Visitor Counter\u2026 5", "Visitor\u00a0Counter:7",
    "\u2018", "\u2019", "\u201c", "\u2013", "\u2026", "\u00a0", "\u202f",
    "\u20b9", "\u00b7", "\u00ab", "\u2009", "\u0301", "\u200c", "\u200d", "\u0915", "\u093f",
    "\u094d", "\u0967", "\u0663", "\ufb01", "\u00e9", "\u0130", "\u00df", "\u212a", "\u2163",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_norm_words_is_the_plain_definition(text):
    assert textmatch.norm_words(text) == plain_norm_words(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["the", "of", "ministry", "india", "scheme", "२०२६", "योजना",
                                 "a", "b", "c", "d", "e", "f", "g"]), max_size=80))
def test_shingles_is_the_plain_definition(words):
    assert textmatch.shingles(words) == plain_shingles(words)


def test_a_release_text_takes_the_fast_path_and_agrees():
    text = ("Union Minister \u2018launches\u2019 PM-KISAN \u2013 \u20b9 2,000 crore\u2026 for "
            "farmers_in 2026.\nVisitor Counter : 12,345\n(Release ID: 2123456)")
    words = textmatch.norm_words(text)
    assert words == plain_norm_words(text)
    assert "12" not in words and "2123456" in words  # the counter's figure is not a word
    long = " ".join(f"w{i % 97} x{i % 13}" for i in range(400))
    assert textmatch.shingles(textmatch.norm_words(long)) == plain_shingles(plain_norm_words(long))
