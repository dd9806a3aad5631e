"""Highlighted snippets, made from the text the reader will see. Pure functions.

Every backend returns ids; the snippet is cut from the original title and body here, so it
looks the same on SQLite and PostgreSQL and keeps the original spelling and case. The
output is HTML-escaped text whose only markup is ``<mark>``. A phrase is marked only where
its words stand together.
"""

from __future__ import annotations

from html import escape

from .textnorm import token_spans

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
    """About ``words`` words of ``text`` around its densest run of marked words."""
    text = text[:SCAN_CHARS]
    spans = token_spans(text)
    if not spans:
        return ""
    marked = sorted(_marked(spans, terms))
    first = 0
    if marked:
        best_score = -1
        for m in marked[:200]:
            start = max(0, m - 3)
            score = len({spans[k][2] for k in marked if start <= k < start + words})
            if score > best_score:
                first, best_score = start, score
    last = min(len(spans), first + words) - 1
    start_char = spans[first][0] if first > 0 else 0
    end_char = spans[last][1] if last < len(spans) - 1 else len(text)
    body = _render(text, spans, set(marked), start_char, end_char)
    return ("… " if start_char > 0 else "") + body + (" …" if end_char < len(text) else "")


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
