"""Reading what a reader typed into a search box. Pure functions, no Django.

The language is the one people already know::

    words                 every word must occur (any order)
    "exact phrase"        the words next to each other
    -word  -"a phrase"    must not occur
    a OR b                either side (OR in capitals binds loosest: ``a b OR c`` = (a b) | c)
    1548606               also finds the release (or translation) with that ID

Nothing a reader types can reach the database as syntax: every word is normalised by
``textnorm.tokens`` (which keeps only letters, marks and digits) and the backends quote
each token. Anything we had to read generously is explained in ``Query.notes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .textnorm import tokens

MAX_QUERY_CHARS = 500
MAX_TERMS = 24
# Release IDs are 5 to 12 digits; shorter numbers (years, counts) are ordinary words.
ID_PATTERN = re.compile(r"^\d{5,12}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Term:
    """A word (one token) or a phrase (several tokens that must be adjacent)."""

    tokens: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.tokens) > 1


@dataclass
class Query:
    clauses: list[list[Term]] = field(default_factory=list)  # OR of ANDs
    excluded: list[Term] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    text: str = ""  # the query as we read it, to show back

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.ids

    @property
    def positive_terms(self) -> list[tuple[str, ...]]:
        """What to highlight: each word and phrase the query looks for."""
        return list(dict.fromkeys(term.tokens for clause in self.clauses for term in clause))


def _lex(text: str) -> list[tuple[str, str, bool]]:
    """Split into (kind, raw, closed) pieces: kind is 'word', 'phrase', 'neg-word',
    'neg-phrase' or 'or'. ``closed`` is False for a phrase whose quote was never closed."""
    pieces, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negative = False
        if ch == "-" and i + 1 < n and not text[i + 1].isspace():
            negative, i = True, i + 1
            ch = text[i]
        if ch in "\"“”„«»":
            end = next((j for j in range(i + 1, n) if text[j] in "\"“”„«»"), -1)
            closed = end != -1
            raw = text[i + 1:end] if closed else text[i + 1:]
            pieces.append(("neg-phrase" if negative else "phrase", raw, closed))
            i = end + 1 if closed else n
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in "\"“”„«»":
            j += 1
        raw = text[i:j]
        i = j
        if raw == "OR" and not negative:
            pieces.append(("or", raw, True))
        else:
            pieces.append(("neg-word" if negative else "word", raw, True))
    return pieces


def parse(text: str) -> Query:
    """Read a query; never raises. Unusable parts are dropped with a note saying so."""
    q = Query()
    text = text or ""
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    if len(text) > MAX_QUERY_CHARS:
        q.notes.append(f"Your search was too long, so only its first {MAX_QUERY_CHARS} characters "
                       "were used.")
        text = text[:MAX_QUERY_CHARS]
    current: list[Term] = []
    dropped_terms = False
    for kind, raw, closed in _lex(text):
        if kind == "or":
            if current:
                q.clauses.append(current)
                current = []
            continue
        if not closed:
            q.notes.append("A quotation mark was not closed, so the words after it were searched "
                           "for as a phrase.")
        words = tokens(raw)
        if kind == "word" and len(words) == 1 and ID_PATTERN.match(words[0]):
            q.ids.append(int(words[0]))
        # A phrase, or one thing typed ("covid-19", "e.g."): its parts must stand together.
        terms = [Term(tuple(words))] if words else []
        if not terms:
            continue
        if len(q.excluded) + sum(map(len, q.clauses)) + len(current) >= MAX_TERMS:
            dropped_terms = True
            continue
        if kind.startswith("neg"):
            q.excluded.extend(terms)
        else:
            current.extend(terms)
    if current:
        q.clauses.append(current)
    if dropped_terms:
        q.notes.append(f"Only the first {MAX_TERMS} words of your search were used.")
    if not q.clauses and q.excluded:
        q.notes.append("Your search only says which words to leave out. Add a word to look for.")
        q.excluded = []
    q.notes = list(dict.fromkeys(q.notes))
    q.clauses = [list(dict.fromkeys(c)) for c in q.clauses]
    q.text = text.strip()
    return q


def fts5_match(q: Query, columns: str = "") -> str:
    """The query as an FTS5 MATCH expression; every token double-quoted. ``columns``
    ("title body") limits it to those columns."""
    def term(t: Term) -> str:
        return '"' + " ".join(t.tokens).replace('"', '""') + '"'

    ors = ["(" + " AND ".join(term(t) for t in clause) + ")" for clause in q.clauses]
    expr = ors[0] if len(ors) == 1 else "(" + " OR ".join(ors) + ")"
    if q.excluded:
        expr += " NOT (" + " OR ".join(term(t) for t in q.excluded) + ")"
    return f"{{{columns}}} : ({expr})" if columns else expr


def tsquery(q: Query) -> str:
    """The query as PostgreSQL tsquery text for ``to_tsquery('simple', ...)``."""
    def lexeme(tok: str) -> str:
        return "'" + tok.replace("\\", "\\\\").replace("'", "''") + "'"

    def term(t: Term) -> str:
        return "(" + " <-> ".join(lexeme(tok) for tok in t.tokens) + ")"

    ors = ["(" + " & ".join(term(t) for t in clause) + ")" for clause in q.clauses]
    expr = "(" + " | ".join(ors) + ")"
    if q.excluded:
        expr += " & !(" + " | ".join(term(t) for t in q.excluded) + ")"
    return expr
