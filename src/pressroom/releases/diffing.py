"""What changed between two texts of a release: by paragraph and by word. Pure functions.

Used by the public "What changed" page, the corrections feed, the newsroom's correction
preview and the translator's view of an original that moved on. Words are runs of
non-space characters, so Indic words stay whole (a vowel sign is not a word boundary) and
punctuation stays with its word, as readers see it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

EQUAL, INSERT, DELETE, CHANGE = "equal", "insert", "delete", "change"
_TOKEN = re.compile(r"\s+|\S+")


def words(text: str) -> list[str]:
    """Words and the spaces between them; joined they give the text back."""
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(EQUAL|DELETE|INSERT, text)]: replacing ``old`` by ``new`` word by word."""
    a, b = words(old), words(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append((EQUAL, "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append((DELETE, "".join(a[i1:i2])))
            if j2 > j1:
                out.append((INSERT, "".join(b[j1:j2])))
    return [(op, text) for op, text in out if text]


@dataclass(frozen=True)
class ParagraphChange:
    op: str  # EQUAL, CHANGE, INSERT (only in new), DELETE (only in old)
    old: str
    new: str
    number: int  # 1-based position in the new text (in the old one for DELETE)


def paragraph_diff(old: list[str], new: list[str]) -> list[ParagraphChange]:
    """Which paragraphs stayed, changed, came or went, in reading order."""
    out: list[ParagraphChange] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [ParagraphChange(EQUAL, old[i1 + k], new[j1 + k], j1 + k + 1)
                    for k in range(i2 - i1)]
        elif op == "replace":
            # Pair paragraphs one to one while both sides have them; the rest came or went.
            n = min(i2 - i1, j2 - j1)
            out += [ParagraphChange(CHANGE, old[i1 + k], new[j1 + k], j1 + k + 1)
                    for k in range(n)]
            out += [ParagraphChange(DELETE, old[i1 + k], "", i1 + k + 1)
                    for k in range(n, i2 - i1)]
            out += [ParagraphChange(INSERT, "", new[j1 + k], j1 + k + 1)
                    for k in range(n, j2 - j1)]
        elif op == "delete":
            out += [ParagraphChange(DELETE, old[k], "", k + 1) for k in range(i1, i2)]
        else:
            out += [ParagraphChange(INSERT, "", new[k], k + 1) for k in range(j1, j2)]
    return out


def changed_paragraphs(old: list[str], new: list[str]) -> list[ParagraphChange]:
    return [c for c in paragraph_diff(old, new) if c.op != EQUAL]


def marked(parts: list[tuple[str, str]], side: str) -> str:
    """One side of a word diff as HTML: <del> on the old side, <ins> on the new."""
    keep, tag = (DELETE, "del") if side == "old" else (INSERT, "ins")
    out = []
    for op, text in parts:
        if op == EQUAL:
            out.append(html.escape(text))
        elif op == keep:
            out.append(f"<{tag}>{html.escape(text)}</{tag}>")
    return "".join(out)


@dataclass(frozen=True)
class Row:
    """One row of a side-by-side comparison: escaped HTML for each side."""

    op: str
    old_html: str
    new_html: str


def side_by_side(old: list[str], new: list[str]) -> list[Row]:
    """Paragraph rows, each with the words that changed marked, for a two-column view."""
    rows = []
    for c in paragraph_diff(old, new):
        if c.op == CHANGE:
            parts = word_diff(c.old, c.new)
            rows.append(Row(c.op, marked(parts, "old"), marked(parts, "new")))
        elif c.op == DELETE:
            rows.append(Row(c.op, f"<del>{html.escape(c.old)}</del>", ""))
        elif c.op == INSERT:
            rows.append(Row(c.op, "", f"<ins>{html.escape(c.new)}</ins>"))
        else:
            rows.append(Row(c.op, html.escape(c.old), html.escape(c.new)))
    return rows


def text_of(content: dict) -> list[str]:
    """A version's (or a revision's) content as the paragraphs a diff compares: the title,
    subtitles and body paragraphs, then the sign-off."""
    out = [content.get("title", "")]
    out += [s for s in (content.get("subtitles") or "").split("\n") if s.strip()]
    out += [p for p in (content.get("body_text") or "").split("\n") if p.strip()]
    if content.get("sign_off"):
        out.append(content["sign_off"])
    return [p for p in out if p]
