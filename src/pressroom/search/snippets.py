"""Highlighted snippets, made from the text the reader will see. Pure functions.

Every backend returns ids; the snippet is cut from the original title and body here, so it
looks the same on SQLite and PostgreSQL and keeps the original spelling and case. The
output is HTML-escaped text whose only markup is ``<mark>``. A phrase is marked only where
its words stand together.
"""

from __future__ import annotations

from html import escape

from .textnorm import token_spans, tokens

SNIPPET_WORDS = 30
# Snippets come from the start of long bodies: where the news is, and bounded work.
SCAN_CHARS = 20000


def _marked(spans, terms) -> set[int]:
    """Indexes of the spans that belong to an occurrence of one of ``terms`` (token tuples)."""
    words = {t[0] for t in terms if len(t) == 1}
    phrases = [t for t in terms if len(t) > 1]
    norms = [n for _, _, n in spans]
    marked = {i for i, n in enumerate(norms) if n in words}
    for p in phrases:
        for i in range(len(norms) - len(p) + 1):
            if norms[i] == p[0] and tuple(norms[i:i + len(p)]) == p:
                marked.update(range(i, i + len(p)))
    return marked


def highlight(text: str, terms) -> str:
    """All of ``text``, escaped, with the words of ``terms`` marked."""
    spans = token_spans(text)
    return _render(text, spans, _marked(spans, terms), 0, len(text))


def snippet(text: str, terms, words: int = SNIPPET_WORDS) -> str:
    """About ``words`` words of ``text`` around the first paragraph richest in marked words.

    Paragraphs are read in order and reading stops at one holding every word looked for,
    so the work is one paragraph for most hits, not the whole body.
    """
    wanted = {t for term in terms for t in term}
    best, offset = None, 0
    for para in text[:SCAN_CHARS].split("\n"):
        if best is not None and not _may_hold(para, wanted):
            offset += len(para) + 1  # no word looked for is in it: it scores 0, cannot be best
            continue
        spans = token_spans(para)
        marked = _marked(spans, terms)
        score = len({spans[i][2] for i in marked})
        if spans and (best is None or score > best[0]):
            best = (score, offset, para, spans, sorted(marked))
        if score and score >= len(wanted):
            break
        offset += len(para) + 1
    if best is None:
        return ""
    _, offset, para, spans, marked = best
    first = 0
    if marked:  # the window of `words` words holding the most marked words
        lo, best_count = 0, -1
        for hi, m in enumerate(marked):
            while marked[lo] < m - words + 4:
                lo += 1
            if hi - lo + 1 > best_count:
                best_count, first = hi - lo + 1, max(0, marked[lo] - 3)
    last = min(len(spans), first + words) - 1
    start_char = spans[first][0] if first > 0 else 0
    end_char = spans[last][1] if last < len(spans) - 1 else len(para)
    body = _render(para, spans[first:last + 1], {i - first for i in marked}, start_char, end_char)
    at_start = offset == 0 and start_char == 0
    at_end = end_char == len(para) and offset + len(para) >= len(text.rstrip())
    return ("" if at_start else "… ") + body + ("" if at_end else " …")


def _may_hold(para: str, wanted: set[str]) -> bool:
    """False only when no word of ``wanted`` can be among ``para``'s words: each word's
    normal form is a run of the paragraph's normalised text (``tokens``, in C) with the
    spaces left out, so one substring test per word stands in for cutting the paragraph into
    spans in Python, which was a third of a search page."""
    joined = "".join(tokens(para))
    return any(w in joined for w in wanted)


def _render(text, spans, marked, start, end) -> str:
    out, pos, open_at = [], start, None
    for i, (s, e, _) in enumerate(spans):
        if e <= start or s >= end or i not in marked:
            continue
        # Adjacent marked words (a phrase) share one <mark>.
        if open_at is not None and i - 1 in marked and spans[i - 1][1] <= s:
            out.append(escape(text[pos:e]))
        else:
            if open_at is not None:
                out.append("</mark>")
            out.append(escape(text[pos:s]) + "<mark>" + escape(text[s:e]))
            open_at = i
        pos = e
    if open_at is not None:
        out.append("</mark>")
    out.append(escape(text[pos:end]))
    return "".join(out).replace("\n", " ")
