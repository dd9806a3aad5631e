"""What a press officer found on a first walk through the newsroom (issue 13, item 6): one
test per fault."""

import pytest
from django.test import Client

from conftest import SEED

from ..embargo import token_for
from ..models import AuditEntry, Draft, Journalist, PreviewGrant, PreviewOpening
from .conftest import BROWSER, client_for, in_minutes, local_input

S = Draft.State


def page(client, url):
    r = client.get(url)
    assert r.status_code == 200, url
    return r.content.decode()


def test_send_back_reason_is_shown_on_the_dashboard_and_goes_once_dealt_with(
        as_media, as_press, make_draft):
    draft = make_draft(S.SUBMITTED)
    detail = page(as_press, f"/newsroom/drafts/{draft.pk}/")
    assert ">Send back</button>" in detail
    as_press.post(f"/newsroom/drafts/{draft.pk}/reject/", {"reason": "Figures in para 2"})
    dashboard = page(as_media, "/newsroom/")
    assert "Sent back" in dashboard and "Figures in para 2" in dashboard
    assert "Rejected" not in dashboard and "rejected</span>" not in dashboard
    assert "Reason for sending back: Figures in para 2" in page(
        as_media, f"/newsroom/drafts/{draft.pk}/")
    as_media.post(f"/newsroom/drafts/{draft.pk}/redraft/")
    as_media.post(f"/newsroom/drafts/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.state == S.SUBMITTED and draft.state_note == ""
    assert "Figures in para 2" not in page(as_press, "/newsroom/").split("History")[0]


def test_new_draft_form_preselects_the_only_ministry_and_bureau(as_media, media_defence,
                                                                 defence, delhi, languages):
    media_defence.officer.bureaus.set([delhi])
    form = page(as_media, "/newsroom/drafts/new/")
    assert f'<option value="{defence.pk}" selected>' in form
    assert f'<option value="{delhi.pk}" selected>' in form


def test_a_press_officer_of_many_ministries_chooses(as_press, defence, finance, delhi,
                                                     languages):
    form = page(as_press, "/newsroom/drafts/new/")
    ministry_select = form.split('name="ministry"')[1].split("</select>")[0]
    assert ministry_select.count("selected") == 1 and "value=\"\" selected" in ministry_select


@pytest.mark.parametrize("path", ["previews/", "previews/1/revoke/", "translate/", "correct/",
                                  "edit/", "reject/", "schedule/"])
def test_any_action_on_another_ministrys_draft_is_404(make_draft, press_finance, path):
    draft = make_draft(S.APPROVED)  # Defence
    r = client_for(press_finance).post(f"/newsroom/drafts/{draft.pk}/{path}",
                                       {"reason": "x", "journalist": 1})
    assert r.status_code == 404


@pytest.fixture
def shared(as_press, make_draft):
    draft = make_draft(S.SCHEDULED, scheduled_for=in_minutes(120))
    journalist = Journalist.objects.create(name="Asha Menon", email="asha@example.in")
    as_press.post(f"/newsroom/drafts/{draft.pk}/previews/", {
        "journalist": journalist.pk, "expires_at": local_input(in_minutes(600))})
    return draft, PreviewGrant.objects.get()


def test_after_publication_previews_no_longer_say_embargo_nor_count_openings(as_press,
                                                                            shared):
    draft, grant = shared
    url = f"/newsroom/embargo/{token_for(grant)}/"
    journalist = Client(HTTP_USER_AGENT=BROWSER)
    assert journalist.get(url).status_code == 200
    assert "publishes on its own" in page(as_press, f"/newsroom/drafts/{draft.pk}/")
    as_press.post(f"/newsroom/drafts/{draft.pk}/publish/")
    r = journalist.get(url)
    assert r.status_code == 302  # to the public page
    assert PreviewOpening.objects.count() == 1  # the opening under embargo only
    detail = page(as_press, f"/newsroom/drafts/{draft.pk}/")
    assert "publishes on its own" not in detail and "the embargo is over" in detail


def test_the_preview_link_has_a_copy_button(as_press, shared):
    draft, grant = shared
    detail = page(as_press, f"/newsroom/drafts/{draft.pk}/")
    assert f'data-copy="link-{grant.pk}"' in detail and f'id="link-{grant.pk}"' in detail


def test_messages_say_what_happened_in_words(as_media, make_draft):
    draft = make_draft()
    r = as_media.post(f"/newsroom/drafts/{draft.pk}/submit/", follow=True)
    text = r.content.decode()
    assert "Submitted for review. A press officer will look at it." in text
    assert "Done:" not in text


def test_opening_an_imported_release_writes_nothing_until_the_officer_acts(import_paths,
                                                                           as_press):
    import_paths(SEED)
    as_press.post("/newsroom/releases/open/", {"release_id": "1548606"})
    draft = Draft.objects.get()
    assert not AuditEntry.objects.exists()
    detail = page(as_press, f"/newsroom/drafts/{draft.pk}/")
    assert "Created by" not in detail and "—," not in detail
    assert "Published before the newsroom" in detail
    as_press.post(f"/newsroom/drafts/{draft.pk}/withdraw/", {"reason": "Superseded", "confirm": "yes"})
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "adopt", "withdraw"]


def test_the_draft_preview_links_back_to_the_draft(as_media, make_draft):
    draft = make_draft()
    preview = page(as_media, f"/newsroom/drafts/{draft.pk}/preview/")
    assert f'href="/newsroom/drafts/{draft.pk}/">Back to the draft</a>' in preview


def test_no_add_a_translation_on_a_withdrawn_release(as_press, make_draft):
    draft = make_draft(S.APPROVED)
    as_press.post(f"/newsroom/drafts/{draft.pk}/publish/")
    assert "Add a translation" in page(as_press, f"/newsroom/drafts/{draft.pk}/")
    as_press.post(f"/newsroom/drafts/{draft.pk}/withdraw/", {"reason": "Superseded", "confirm": "yes"})
    assert "Add a translation" not in page(as_press, f"/newsroom/drafts/{draft.pk}/")
    r = as_press.get(f"/newsroom/drafts/{draft.pk}/translate/")
    assert r.status_code == 302
