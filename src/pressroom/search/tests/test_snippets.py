"""Snippets: escaped, marked where the query matched, cut around the matches."""

from pressroom.search.snippets import highlight, snippet


def test_only_mark_is_markup():
    html = highlight('<script>alert("x")</script> India & <b>India</b>', [("india",)])
    assert "<script>" not in html and "<b>" not in html
    assert html == ('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>India</mark> &amp; '
                    '&lt;b&gt;<mark>India</mark>&lt;/b&gt;')


def test_phrase_marked_only_where_its_words_stand_together():
    html = highlight("and India and Kazakhstan and", [("india", "and", "kazakhstan")])
    assert html == "and <mark>India and Kazakhstan</mark> and"


def test_snippet_is_cut_around_the_match_in_original_spelling():
    text = " ".join(["word"] * 100) + " Shri Pradhān said " + " ".join(["more"] * 100)
    s = snippet(text, [("pradhan",)], words=10)
    assert s.startswith("… ") and s.endswith(" …")
    assert "<mark>Pradhān</mark>" in s
    assert len(s) < 120


def test_indic_match_marked_whole():
    s = snippet("गृह मंत्री श्री अमित शाह ने मित्र", [("मंत्री",)])
    assert s == "गृह <mark>मंत्री</mark> श्री अमित शाह ने मित्र"


def test_skipping_paragraphs_without_the_words_changes_no_snippet(shared_corpus, monkeypatch):
    """The cheap test that skips a paragraph (``_may_hold``) gives every snippet the full
    reading gives, in every language of the corpus, for words from the start, middle and end
    of each text, a phrase, and a word found nowhere."""
    import random

    from pressroom.search import snippets
    from pressroom.search.textnorm import tokens

    rng = random.Random(12)
    cases = []
    for d in sorted((shared_corpus / "pib-2020").iterdir()):
        for f in sorted(d.iterdir()):
            text = f.read_text(encoding="utf-8", errors="replace")
            words = tokens(text)
            if len(words) < 10:
                continue
            picks = [(words[0],), (words[len(words) // 2],), (words[-5],), (rng.choice(words),),
                     tuple(words[len(words) // 3:len(words) // 3 + 2]), ("zzqxnotaword",)]
            cases.extend((text, [p]) for p in picks)
            cases.append((text, picks[1:3]))
    assert len(cases) > 1000
    fast = [snippet(text, terms) for text, terms in cases]
    monkeypatch.setattr(snippets, "_may_hold", lambda para, wanted: True)
    assert fast == [snippet(text, terms) for text, terms in cases]
    assert sum("<mark>" in s for s in fast) > len(cases) * 0.6
