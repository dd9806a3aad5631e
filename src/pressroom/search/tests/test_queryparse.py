"""Reading queries: the syntax, and everything a reader might type by mistake."""

import pytest

from pressroom.search.queryparse import MAX_QUERY_CHARS, Term, fts5_match, parse, tsquery


def test_words_phrases_exclusions_or():
    q = parse('defence "Prime Minister" -covid OR kazakhstan')
    assert q.clauses == [[Term(("defence",)), Term(("prime", "minister"))], [Term(("kazakhstan",))]]
    assert q.excluded == [Term(("covid",))]
    assert fts5_match(q) == '(("defence" AND "prime minister") OR ("kazakhstan")) NOT ("covid")'
    assert tsquery(q) == "((('defence') & ('prime' <-> 'minister')) | (('kazakhstan'))) & !(('covid'))"
    assert not q.notes


def test_release_ids_are_read_as_ids_and_words():
    q = parse("1548606 २०२०")
    assert q.ids == [1548606]
    assert q.clauses == [[Term(("1548606",)), Term(("2020",))]]


@pytest.mark.parametrize("typed, note", [
    ('"prime minister', "quotation mark was not closed"),
    ("-", None),
    ("-covid", "only says which words to leave out"),
    ("x" * 10_000, "too long"),
])
def test_mistakes_get_a_reading_and_a_note(typed, note):
    q = parse(typed)
    if note:
        assert any(note in n for n in q.notes), q.notes
    else:
        assert q.is_empty and not q.notes


def test_unclosed_quote_becomes_a_phrase():
    q = parse('"prime minister')
    assert q.clauses == [[Term(("prime", "minister"))]]


@pytest.mark.parametrize("typed", ['NEAR(a b)', 'a* ^b c:d', '"', '""', "OR", "OR OR a",
                                   "a OR", "\x00\x1f\x7f", "(", ")", "a AND NOT b", "'; DROP TABLE x; --",
                                   "col:word", "{a b}", "a + b"])
def test_operators_are_only_words(typed):
    q = parse(typed)
    expr = fts5_match(q) if not q.is_empty else ""
    # Only quoted tokens, our own AND/OR/NOT and brackets reach FTS5.
    stripped = expr
    for term in {t for c in q.clauses for t in c} | set(q.excluded):
        stripped = stripped.replace('"' + " ".join(term.tokens) + '"', "")
    assert set(stripped) <= set("()ANDORT ")


def test_control_characters_are_spaces():
    assert parse("prime\x00minister\x1b").clauses == [[Term(("prime",)), Term(("minister",))]]


def test_too_many_words_are_cut_with_a_note():
    q = parse(" ".join(f"w{i}" for i in range(100)))
    assert sum(map(len, q.clauses)) == 24
    assert any("first 24 words" in n for n in q.notes)
    assert len(parse("x " * MAX_QUERY_CHARS).text) <= MAX_QUERY_CHARS
