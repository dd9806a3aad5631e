"""The normaliser that index and query share."""

import pytest

from pressroom.search.textnorm import normalise, token_spans, tokens


@pytest.mark.parametrize("typed, stored", [
    ("PRADHĀN", "Pradhan"),                   # case and Latin diacritics
    ("e\u0301cole", "École"),                  # decomposed and precomposed
    ("उन्हें", "उन्\u200dहें"),               # ZWJ inside a Hindi word
    ("کتاب", "كتاب"),                          # Arabic kaf -> Urdu keheh
    ("مودی", "مودي"),                          # Arabic yeh -> Farsi yeh
    ("ان", "اُن"),                              # harakat (damma) stripped
    ("وزیراعظم", "وزیرـاعظم"),                 # tatweel
    ("വർഷാന്ത്യ", "വര്\u200dഷാന്ത്യ"),       # Malayalam atomic chillu vs ZWJ spelling
    ("1548606", "१५४८६०६"),                    # Devanagari digits
])
def test_equivalent_spellings_normalise_alike(typed, stored):
    assert tokens(typed) == tokens(stored)
    assert len(tokens(typed)) == 1


def test_vowel_signs_stay_in_the_word():
    # The default FTS5 tokenizer would cut both into the same pieces.
    assert tokens("मंत्री") == ["मंत्री"]
    assert tokens("मित्र") == ["मित्र"]
    assert tokens("मंत्री") != tokens("मित्र")
    assert tokens("சாவித்ரிபாய் பூலே") == ["சாவித்ரிபாய்", "பூலே"]


def test_spaces_and_controls_separate_words():
    assert tokens("Prime\u00a0Minister\u200bModi\x00said\tit") == ["prime", "minister", "modi", "said", "it"]
    assert tokens("covid-19, NEAR(x) *^:") == ["covid", "19", "near", "x"]
    assert normalise("  A  b ") == "a b"
    assert tokens("") == []


def test_spans_point_into_the_original_text():
    text = "Shri Pradhān, उन्\u200dहें; اُن"
    spans = token_spans(text)
    assert [text[s:e] for s, e, _ in spans] == ["Shri", "Pradhān", "उन्\u200dहें", "اُن"]
    assert [n for _, _, n in spans] == ["shri", "pradhan", "उन्हें", "ان"]
