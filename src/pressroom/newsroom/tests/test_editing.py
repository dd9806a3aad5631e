"""The body editor's output, the preview, and two people editing the same draft."""

import re

from django.test import Client

from ..editing import clean_body, text_to_html
from ..models import Draft
from .conftest import BROWSER, draft_data

S = Draft.State

WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<style>p.MsoNormal {mso-style-parent:""; margin:0cm;}</style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->
</head><body lang=EN-IN style='tab-interval:36.0pt'>
<p class=MsoNormal style='margin-bottom:0cm'><b><span style='font-family:"Arial"'>Raksha Mantri</span></b>
<span style='mso-spacerun:yes'> </span>met the <i>Defence Minister</i> of Kazakhstan.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<table class=MsoTableGrid border=1 style='border-collapse:collapse'><tr>
<td width=100 style='mso-border-alt:solid'><p class=MsoNormal>Item<o:p></o:p></p></td>
<td><p class=MsoNormal>Value</p></td></tr></table>
<ul><li class=MsoListParagraph>First point</li></ul>
<p><a href="https://pib.gov.in/" onclick="steal()">PIB</a><script>alert(1)</script></p>
</body></html>"""


def test_word_paste_keeps_structure_and_drops_word_clutter():
    html = clean_body(WORD_PASTE)
    for kept in ("<b>Raksha Mantri</b>", "<i>Defence Minister</i>", "<table>", "<td>",
                 "Item", "<ul><li>First point</li></ul>", 'href="https://pib.gov.in/"'):
        assert kept in html, kept
    for dropped in ("mso", "Mso", "<o:p>", "style", "class=", "onclick", "<script", "alert",
                    "OfficeDocumentSettings", "<span", "&nbsp;</p>"):
        assert dropped not in html, dropped


def test_plain_text_becomes_paragraphs_and_lists():
    html = text_to_html("First paragraph.\n\nSecond  line\n- one\n- two\n1. first\n2) second\nEnd")
    assert html == ("<p>First paragraph.</p>\n<p>Second line</p>\n<ul>\n<li>one</li>\n"
                    "<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n"
                    "<p>End</p>")
    assert clean_body("a < b & c") == "<p>a &lt; b &amp; c</p>"


def test_plain_textarea_works_without_javascript(as_media, languages, defence, delhi):
    page = as_media.get("/newsroom/drafts/new/").content.decode()
    assert re.search(r'<textarea name="body_html"[^>]*data-editor="body"', page)
    assert "<script src=\"/static/newsroom/editor.js\" defer></script>" in page
    assert "<script>" not in page  # CSP: no inline script
    as_media.post("/newsroom/drafts/new/", draft_data(
        defence, delhi, body_html="Typed without the toolbar.\n- point one\n- point two"))
    assert Draft.objects.get().body_html == (
        "<p>Typed without the toolbar.</p>\n<ul>\n<li>point one</li>\n<li>point two</li>\n</ul>")


def test_editor_script_is_served(as_media, db):
    r = as_media.get("/static/newsroom/editor.js")
    assert r.status_code == 200 and b"contentEditable" in b"".join(r.streaming_content)


def test_preview_is_the_public_page(as_media, make_draft):
    draft = make_draft(body_html="<p>Body <strong>text</strong>.</p>", subtitles="Line one")
    r = as_media.get(f"/newsroom/drafts/{draft.pk}/preview/")
    page = r.content.decode()
    assert r.status_code == 200
    assert r.templates[0].name == "website/release_detail.html"
    for text in ('<article class="release" lang="en" dir="ltr">', "Ministry of Defence",
                 '<h1 class="release__title">Raksha Mantri visits Kazakhstan</h1>', "Line one",
                 "by PIB Delhi", "<p>Body <strong>text</strong>.</p>", "SRR/DK", "Preview:",
                 "(Release ID: given at publication)"):
        assert text in page, text
    main = page[page.index("<main"):]
    assert "/release/0" not in main and "Release ID: 0" not in main


def test_preview_then_published_page_match(as_press, make_draft):
    draft = make_draft(S.APPROVED)
    preview = as_press.get(f"/newsroom/drafts/{draft.pk}/preview/").content.decode()
    as_press.post(f"/newsroom/drafts/{draft.pk}/publish/")
    draft.refresh_from_db()
    public = Client(HTTP_USER_AGENT=BROWSER).get(f"/release/{draft.release_id}/").content.decode()

    def article(html):
        body = html[html.index("<article"):html.index("</article>")]
        return re.sub(r"<time.*?</time>|\(Release ID: \d+\) Visitor Counter : \d+|"
                      r"\(Release ID: given at publication\)", "", body)

    assert article(preview) == article(public)


def test_the_later_of_two_saves_gets_a_conflict_and_nothing_is_lost(
        languages, defence, delhi, media_defence, press, make_draft):
    from .conftest import client_for

    draft = make_draft()
    first, second = client_for(media_defence), client_for(press)
    # Both open the edit form at lock version 1.
    for c in (first, second):
        assert 'name="lock_version" value="1"' in c.get(
            f"/newsroom/drafts/{draft.pk}/edit/").content.decode()
    r = first.post(f"/newsroom/drafts/{draft.pk}/edit/",
                   draft_data(defence, delhi, title="First officer's title", lock_version=1))
    assert r.status_code == 302
    r = second.post(f"/newsroom/drafts/{draft.pk}/edit/",
                    draft_data(defence, delhi, title="Second officer's title", lock_version=1))
    page = r.content.decode()
    assert r.status_code == 409
    assert "Someone else saved this draft while you were editing" in page
    assert "First officer&#x27;s title" in page  # what was saved, to compare
    assert "Second officer&#x27;s title" in page  # and their own text, still in the form
    assert 'name="lock_version" value="2"' in page
    draft.refresh_from_db()
    assert draft.title == "First officer's title" and draft.lock_version == 2
    # Having seen the other version, the second officer saves deliberately.
    r = second.post(f"/newsroom/drafts/{draft.pk}/edit/",
                    draft_data(defence, delhi, title="Merged title", lock_version=2))
    draft.refresh_from_db()
    assert r.status_code == 302 and draft.title == "Merged title" and draft.lock_version == 3
    assert list(draft.audit.values_list("action", flat=True)) == ["edit", "edit"]


def test_bad_input_never_500(as_media, make_draft, defence, delhi):
    draft = make_draft()
    for data in ({}, {"lock_version": "abc"}, {**draft_data(defence, delhi), "bureau": "999"},
                 {**draft_data(defence, delhi), "language": "xx"}):
        r = as_media.post(f"/newsroom/drafts/{draft.pk}/edit/", data)
        assert r.status_code == 400
    r = as_media.post(f"/newsroom/drafts/{draft.pk}/edit/", draft_data(defence, delhi))
    assert r.status_code == 409  # no lock version: treated as stale, never as a blind save


def test_nbsp_runs_and_empty_paragraphs_from_word_go():
    from ..editing import clean_body

    out = clean_body("<p>Rs.&nbsp;5&nbsp;&nbsp; lakh</p><p>&nbsp;</p><p>&nbsp;Next</p>")
    assert out == "<p>Rs.&nbsp;5 lakh</p><p>Next</p>"


def test_a_pasted_word_table_is_kept_as_a_table():
    from ..editing import clean_body

    word = ('<table class=MsoTableGrid style="border:none"><tr><td style="width:100pt">'
            '<p class=MsoNormal><span lang=EN-IN>State</span></p></td><td><p>Tests</p></td></tr>'
            '<tr><td><p>Kerala</p></td><td><p>1,200</p></td></tr></table>')
    out = clean_body(word)
    assert out.startswith("<table><tbody><tr><td><p>State</p></td>") and "style" not in out
    assert "<td><p>1,200</p></td>" in out


def test_the_toolbar_speaks_the_officers_language(media_defence, languages):
    from .conftest import client_for

    c = client_for(media_defence)
    c.cookies["django_language"] = "hi"
    page = c.get("/newsroom/drafts/new/").content.decode()
    assert "data-labels=" in page and "हेडर पंक्ति" in page


def test_spaces_between_inline_words_stay():
    from ..editing import clean_body

    assert clean_body("<p><b>Bold</b> word&nbsp;and <i>more</i></p>") == (
        "<p><b>Bold</b> word&nbsp;and <i>more</i></p>")
