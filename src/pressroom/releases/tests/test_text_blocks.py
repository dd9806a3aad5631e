"""The .txt (PIB layout) export of bodies with lists and tables (issue 13, item 5)."""

from pressroom.releases.pibtext import body_blocks, text_table


def test_lists_become_bulleted_and_numbered_lines():
    blocks = body_blocks("<p>Intro.</p><ul><li>One</li><li>Two <b>bold</b></li></ul>"
                         "<ol><li>First</li><li>Second</li></ol><p>End.</p>")
    assert blocks == ["Intro.", "• One", "• Two bold", "1. First", "2. Second", "End."]


def test_tables_become_aligned_plain_text_with_a_header_rule():
    html = ("<table><thead><tr><th>State</th><th>Tests</th></tr></thead><tbody>"
            "<tr><td>Kerala</td><td>1,200</td></tr><tr><td>Tamil Nadu</td><td>980</td></tr>"
            "</tbody></table>")
    assert body_blocks(html) == ["State       Tests\n----------  -----\nKerala      1,200\n"
                                 "Tamil Nadu  980"]
    assert text_table([["a"], ["bb", "c"]]) == "a\nbb  c"


def test_a_corrected_release_exports_its_note_and_its_structure(db, languages):
    from django.utils import timezone

    from pressroom.ingest import exporter
    from pressroom.releases import store
    from pressroom.releases.models import Bureau, Ministry

    release = store.publish_release(
        ministry=Ministry.objects.create(name="Ministry of Finance"),
        bureau=Bureau.objects.create(name="PIB Delhi"), language="en",
        posted_at=timezone.now(), fields=store.content_fields(
            title="Budget", body_html="<p>Highlights:</p><ul><li>Tax</li></ul>"))
    version = release.versions.get()
    store.correct_version(version, fields=store.content_fields(
        title="Budget", body_html="<p>Highlights:</p><ul><li>Tax</li><li>Duty</li></ul>"),
        note="Duty added")
    text = exporter.pib_text(release)
    assert "    • Tax\n" in text and "    • Duty\n" in text
    assert "Updated On: " in text and ": Duty added" in text
