"""Text normalisation shared by indexing and querying. Pure functions, no Django.

Both sides of a search go through ``tokens()``, so a word typed in a query and the same
word in a release always become the same token:

- Unicode NFC; decimal digits of every script read as ASCII digits (``१५४८६०६`` = ``1548606``);
- case folded; diacritics folded on Latin letters only (``Pradhān`` = ``pradhan``) — the vowel
  signs of Indian scripts are letters of the word and are kept, so ``मंत्री`` ≠ ``मित्र``;
- Urdu: harakat and tatweel stripped, Arabic ي ى ك ه read as Farsi/Urdu ی ی ک ہ;
- Malayalam atomic chillus read as consonant + virama;
- ZWJ, ZWNJ, soft hyphen and BOM removed inside words; NBSP, zero-width space and control
  characters separate words.

A token is a maximal run of letters, marks, digits and private-use characters: the same
classes as the FTS5 tokenizer ``unicode61 categories 'L* N* Co M*'``, so FTS5 sees our
tokens unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Removed without a trace: joiners, soft hyphen, BOM, word joiner, Arabic tatweel.
_DROP = dict.fromkeys(map(ord, "\u200c\u200d\u00ad\ufeff\u2060\u0640"), None)
# Urdu harakat (fatha, kasra, damma, tanwin, shadda, sukun, ...), superscript alef,
# Quranic marks: optional in writing, so never part of a token.
_DROP.update(dict.fromkeys(range(0x064B, 0x0660), None))
_DROP[0x0670] = None
_DROP.update(dict.fromkeys(range(0x06D6, 0x06EE), None))
# Arabic letter forms typed on Arabic keyboards -> the Urdu/Farsi letters Urdu text uses.
_DROP.update({0x064A: "\u06cc", 0x0649: "\u06cc", 0x0643: "\u06a9", 0x0647: "\u06c1"})
# Malayalam atomic chillu letters -> consonant + virama, the spelling older text makes with
# a ZWJ (which is dropped above): വർഷം and വര്‍ഷം are one word.
_DROP.update({0x0D7A: "\u0d23\u0d4d", 0x0D7B: "\u0d28\u0d4d", 0x0D7C: "\u0d30\u0d4d",
              0x0D7D: "\u0d32\u0d4d", 0x0D7E: "\u0d33\u0d4d", 0x0D7F: "\u0d15\u0d4d"})


# A Latin letter (precomposed or not) with the combining marks that follow it.
_LATIN_WITH_MARKS = re.compile(
    "[A-Za-z\u00c0-\u024f\u1e00-\u1eff][\u0300-\u036f]+|[\u00c0-\u024f\u1e00-\u1eff]")
_HAS_LATIN_DIACRITIC = re.compile("[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")


def _strip_marks(m: re.Match) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", m.group()) if not unicodedata.combining(ch))


def _fold_latin_diacritics(text: str) -> str:
    """Drop diacritics on Latin letters; keep every other script's marks (vowel signs)."""
    if text.isascii() or not _HAS_LATIN_DIACRITIC.search(text):
        return text
    return _LATIN_WITH_MARKS.sub(_strip_marks, text)


def _word_ranges(first: int, last: int) -> str:
    """A regex character-class body of every code point in L*, N*, M* or Co in [first, last)."""
    ranges, begin = [], None
    for cp in range(first, last + 1):
        cat = unicodedata.category(chr(cp)) if cp < last else "Cn"
        is_word = cat[0] in "LNM" or cat == "Co"
        if is_word and begin is None:
            begin = cp
        elif not is_word and begin is not None:
            ranges.append((begin, cp - 1))
            begin = None
    return "".join(f"\\U{a:08x}-\\U{b:08x}" if a != b else f"\\U{a:08x}" for a, b in ranges)


# Three matchers for one definition of a word, fastest first: sre matches a class of
# Basic Multilingual Plane ranges by table lookup but scans astral ranges one by one.
_BMP_CLASS, _ASTRAL_CLASS = _word_ranges(0, 0x10000), _word_ranges(0x10000, 0x30000)
_WORD_ASCII = re.compile("[a-z0-9]+")  # for casefolded ASCII text
_WORD_BMP = re.compile(f"[{_BMP_CLASS}]+")
_WORD = re.compile(f"[{_BMP_CLASS}{_ASTRAL_CLASS}]+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# In the original text, characters that normalising removes stay inside a word.
_ORIGINAL_WORD_ASCII = re.compile("[A-Za-z0-9]+")
_ORIGINAL_WORD = re.compile(f"[{_BMP_CLASS}{_ASTRAL_CLASS}\u200c\u200d\u00ad\ufeff\u2060]+")
_ORIGINAL_WORD_BMP = re.compile(f"[{_BMP_CLASS}\u200c\u200d\u00ad\ufeff\u2060]+")
# Common non-ASCII separators, made spaces early so most English text takes the ASCII path.
_DROP.update(dict.fromkeys(map(ord, "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00a0\u202f"
                                    "\u200b\u2009\u00b7\u20b9\u00ab\u00bb"), " "))
# Every script's decimal digits read as ASCII digits.
_DIGITS = {cp: str(unicodedata.decimal(chr(cp))) for cp in range(0x30000)
           if unicodedata.category(chr(cp)) == "Nd" and not chr(cp).isascii()}


def normalise(text: str) -> str:
    """The text with every word in its normal form, words separated by single spaces."""
    return " ".join(tokens(text))


def tokens(text: str) -> list[str]:
    """The normalised words of ``text``, in order."""
    if not text:
        return []
    text = unicodedata.normalize("NFC", text).translate(_DROP)
    text = _fold_latin_diacritics(text.casefold())
    if text.isascii():
        return _WORD_ASCII.findall(text)
    text = text.translate(_DIGITS)
    return (_WORD if _ASTRAL.search(text) else _WORD_BMP).findall(text)


def token_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normal form) of each word in the *original* text, for highlighting.

    Words are cut where ``tokens`` cuts them, one original word at a time, so a match
    can be marked in the text the reader sees rather than in its folded form.
    """
    if text.isascii():
        return [(m.start(), m.end(), m.group().lower()) for m in _ORIGINAL_WORD_ASCII.finditer(text)]
    result = []
    for m in (_ORIGINAL_WORD if _ASTRAL.search(text) else _ORIGINAL_WORD_BMP).finditer(text):
        norm = _normal_word(m.group())
        if norm:
            result.append((m.start(), m.end(), norm))
    return result


@lru_cache(maxsize=65536)
def _normal_word(word: str) -> str:
    return "".join(tokens(word))
