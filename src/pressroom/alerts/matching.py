"""Which subscriptions (and webhooks, and feeds) an event reaches. Pure functions first.

A saved search is matched in Python against the one new version, with the search's own
query reader and normaliser (``search.queryparse``, ``search.textnorm``), so an alert
matches exactly what /search/ would find for those words: a query is parsed once per
distinct text (many subscribers share one), and each is a few set lookups.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pressroom.search.queryparse import Query, Term, parse
from pressroom.search.textnorm import tokens


@dataclass(frozen=True)
class Document:
    """A version as matching sees it."""

    release_id: int
    version_id: int
    pib_id: int | None
    ministry_id: int
    bureau_id: int
    language: str
    languages: frozenset  # every language the release has (for withdrawals)
    words: tuple  # normalised tokens of title, subtitles, body, ministry, bureau
    word_set: frozenset

    @classmethod
    def of(cls, *, release_id, version_id, pib_id, ministry_id, bureau_id, language, languages, text):
        words = tuple(tokens(text))
        return cls(release_id, version_id, pib_id, ministry_id, bureau_id, language,
                   frozenset(languages), words, frozenset(words))


@lru_cache(maxsize=100_000)
def compiled(query_text: str) -> Query:
    return parse(query_text)


def _term_in(term: Term, doc: Document) -> bool:
    if not term.is_phrase:
        return term.tokens[0] in doc.word_set
    if not all(t in doc.word_set for t in term.tokens):
        return False
    first, n, words = term.tokens[0], len(term.tokens), doc.words
    return any(words[i:i + n] == term.tokens for i, w in enumerate(words) if w == first)


def query_matches(q: Query, doc: Document) -> bool:
    """What /search/ finds: any OR-clause whose terms all occur, none of the excluded ones;
    a Release ID in the query finds that release."""
    if doc.release_id in q.ids or (doc.pib_id and doc.pib_id in q.ids):
        return True
    if not q.clauses:
        return False
    if any(_term_in(t, doc) for t in q.excluded):
        return False
    return any(all(_term_in(t, doc) for t in clause) for clause in q.clauses)


def matching_queries(query_texts, doc: Document) -> set[str]:
    """The distinct query texts that match ``doc``."""
    return {text for text in set(query_texts) if query_matches(compiled(text), doc)}
