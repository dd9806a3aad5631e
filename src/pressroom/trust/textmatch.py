"""Text as readers pass it around, made comparable; shingles; word-level differences.

Pure functions. A chat forward joins or breaks lines, straightens or curls quotes, wraps
words in *bold* or _italics_, adds a "Forwarded" banner and emoji: none of that is a word,
so comparing the words (letters, marks and digits of any script, case-folded, digits of
every script as ASCII) sees through it, while a changed figure or name is a changed word.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from itertools import compress, count, repeat
from operator import and_, eq, rshift

from .offline import WORD

SHINGLE = 5  # words per shingle
MIN_RUN = 3
SAMPLE_BITS = 3  # keep one shingle in 2**3: consistent, so a pasted part keeps the same ones
MASK64 = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15

# Banners and labels chat apps and forwarders add; ignored where they are extra words at
# the start or end of a pasted text (never inside it).
NOISE = frozenset("""forwarded fwd fw many times message as received shared via whatsapp
telegram msg pls please read share fact check news press release pib""".split()) | frozenset(
    ["फॉरवर्ड", "किया", "गया", "अग्रेषित", "संदेश"])

VISITOR_COUNT = re.compile(r"(Visitor\s+Counter\s*:?\s*)[\d,]+", re.I)
RELEASE_ID_CLAIM = re.compile(r"(?:Release\s*ID\s*:?\s*|PRID\s*=\s*|relid\s*=\s*)(\d{4,12})", re.I)


@dataclass(frozen=True)
class Token:
    norm: str
    surface: str
    optional: bool = False  # a header or trailer word (ministry, "Posted On" line, sign-off...)


def _fold_table() -> dict[int, str]:
    """Decimal digits of every script as ASCII; zero-width (non-)joiners dropped (chat apps
    and keyboards differ in where they put them)."""
    table = {0x200C: None, 0x200D: None, ord("_"): " "}
    for cp in range(0x10000):
        d = unicodedata.decimal(chr(cp), None)
        if d is not None and cp > 0x7F:
            table[cp] = str(d)
    return table


_FOLD = _fold_table()


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", VISITOR_COUNT.sub(r"\1", text)).casefold().translate(_FOLD)


# Separators common in English releases (curly quotes, dashes, spaces of other widths): none
# is a word character, nor becomes one in NFKC, so making them spaces first changes no word
# and lets most English text take the ASCII path.
_SEPARATOR_CHARS = ("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00a0\u202f\u2009\u00b7"
                    "\u20b9\u00ab\u00bb")
_SEPARATOR = re.compile(f"[{_SEPARATOR_CHARS}]")
_NEITHER_ASCII_NOR_SEPARATOR = re.compile(f"[^\\x00-\\x7f{_SEPARATOR_CHARS}]")
_ASCII_NON_WORD = {c: " " for c in range(128) if not chr(c).isalnum()}


def norm_words(text: str) -> list[str]:
    """The comparable words of a text, fast (the index path): WORD.findall(normalise(text)),
    with ASCII text (after common separators) split in C, which is 3x cheaper."""
    ascii_only = text.isascii()
    if not ascii_only and _NEITHER_ASCII_NOR_SEPARATOR.search(text):
        return WORD.findall(normalise(text))
    text = text.lower()  # casefold() and NFKC of ASCII
    if "visitor" in text:  # before the separators go, as normalise does
        text = VISITOR_COUNT.sub(r"\1", text)
    if not ascii_only:
        text = _SEPARATOR.sub(" ", text)
    return text.translate(_ASCII_NON_WORD).split()  # "_" too: _FOLD makes it a space


def tokens(text: str, optional: bool = False) -> list[Token]:
    """Words with the form they were written in (for showing differences)."""
    text = unicodedata.normalize("NFKC", VISITOR_COUNT.sub(r"\1", text)).replace("_", " ")
    out = []
    for w in WORD.findall(text):
        norm = w.casefold().translate(_FOLD)
        if norm:
            out.append(Token(norm, w, optional))
    return out


def claimed_ids(text: str) -> list[int]:
    return list(dict.fromkeys(int(m) for m in RELEASE_ID_CLAIM.findall(text)))


_token_hash_cache: dict[str, int] = {}
_TOKEN_CACHE_MAX = 200_000


def _th(word: str) -> int:
    h = _token_hash_cache.get(word)
    if h is None:
        h = zlib.crc32(word.encode("utf-8")) * 0x100000001B3 & MASK64
        if len(_token_hash_cache) >= _TOKEN_CACHE_MAX:
            _token_hash_cache.clear()  # bounded; common words are back within a release
        _token_hash_cache[word] = h
    return h


def shingles(norms: list[str]) -> set[int]:
    """Hashes of the SHINGLE-word runs picked by their words alone (so any text containing a
    run picks it too), about one in 2**SAMPLE_BITS, as signed 64-bit integers."""
    try:
        th = list(map(_token_hash_cache.__getitem__, norms))
    except KeyError:  # hash the new words, then look all up again
        for w in set(norms).difference(_token_hash_cache):
            _th(w)
        try:
            th = list(map(_token_hash_cache.__getitem__, norms))
        except KeyError:  # the cache was emptied in between
            th = list(map(_th, norms))
    if len(th) < SHINGLE:
        return set()
    # Run i is picked where the low bits of word i's hash equal bits 5.. of word i+4's,
    # tested by C loops (map, compress) rather than Python's.
    mask = repeat((1 << SAMPLE_BITS) - 1)
    picked = compress(count(), map(eq, map(and_, th, mask),
                                   map(and_, map(rshift, th[SHINGLE - 1:], repeat(5)), mask)))
    out = set()
    add = out.add
    for i in picked:
        h = (((th[i] * 31 + th[i + 1]) * 31 + th[i + 2]) * 31 + th[i + 3]) * 31 + th[i + 4]
        h = (h * _MIX) & MASK64
        add(h - (1 << 64) if h >> 63 else h)
    return out


@dataclass
class Comparison:
    """A pasted text against one genuine text."""

    matched: int  # words of the pasted text found, in order, in the genuine one
    length: int  # words of the pasted text (banners taken off)
    differences: list[dict] = field(default_factory=list)
    extra_noise: int = 0
    runs: int = 0  # matched words in stretches of MIN_RUN or more (not mere common words)

    @property
    def coverage(self) -> float:
        return self.matched / self.length if self.length else 0.0

    @property
    def exact(self) -> bool:
        return not self.differences and self.matched > 0


def _words(toks: list[Token], a: int, b: int) -> str:
    return " ".join(t.surface for t in toks[a:b])


def compare(genuine: list[Token], pasted: list[Token]) -> Comparison:
    """Word-level alignment: which words of `pasted` are `genuine`'s, in order, and what
    differs inside the stretch they cover (changed, inserted or left-out words) or is added
    before or after it (other than forwarding banners)."""
    g = [t.norm for t in genuine]
    p = [t.norm for t in pasted]
    ops = difflib.SequenceMatcher(None, g, p, autojunk=False).get_opcodes()
    equal = [k for k, op in enumerate(ops) if op[0] == "equal"]
    result = Comparison(matched=sum(op[4] - op[3] for op in ops if op[0] == "equal"), length=len(p),
                        runs=sum(op[4] - op[3] for op in ops if op[0] == "equal"
                                 and (op[4] - op[3] >= MIN_RUN or op[4] - op[3] == len(p))))
    if not equal:
        return result
    first, last = equal[0], equal[-1]
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            continue
        inner = first < k < last
        if j1 == j2 and all(t.optional for t in genuine[i1:i2]):
            continue  # a header line or sign-off left out of a copy changes nothing it says
        if not inner:
            if j1 == j2:  # the pasted text is a part: genuine words before or after it are fine
                continue
            if all(w in NOISE for w in p[j1:j2]):
                result.extra_noise += j2 - j1
                result.length -= j2 - j1
                continue
        kind = {"replace": "changed", "insert": "inserted", "delete": "left out"}[op]
        result.differences.append({
            "kind": kind if inner else "added", "genuine": _words(genuine, i1, i2),
            "submitted": _words(pasted, j1, j2), "at_word": j1 + 1,
        })
    return result
