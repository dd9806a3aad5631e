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
