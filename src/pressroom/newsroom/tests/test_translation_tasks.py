"""Translation as part of the release (issue 13, item 1): translators scoped to languages and
bureaus, tasks on approval, review by a press officer of that language, publication with the
original, a paragraph-level diff when the original changes — all enforced on the server."""

import pytest
from django.test import Client

from pressroom.releases.models import Bureau, LanguageVersion

from .. import workflow
from ..models import Draft, Officer, TranslationTask
from .conftest import BROWSER, client_for, in_minutes, make_officer

S, T = Draft.State, TranslationTask.State
TAMIL = {"title": "பாதுகாப்பு அமைச்சர் கஜகஸ்தான் பயணம்", "subtitles": "",
         "body_html": "<p>அமைச்சர் சந்தித்தார்.</p>", "sign_off": "SRR/DK"}
HINDI = {"title": "रक्षा मंत्री कजाकिस्तान यात्रा पर", "subtitles": "",
         "body_html": "<p>रक्षा मंत्री ने भेंट की।</p>", "sign_off": "SRR/DK"}


@pytest.fixture
def chennai(db):
    return Bureau.objects.create(name="PIB Chennai")


@pytest.fixture
def tamil_translator(delhi):
    user = make_officer("tamil-desk", Officer.Role.TRANSLATOR)
    user.officer.languages.set(["ta"])
    user.officer.bureaus.set([delhi])
    return user


@pytest.fixture
def hindi_translator(delhi):
    user = make_officer("hindi-unit", Officer.Role.TRANSLATOR)
    user.officer.languages.set(["hi"])
    return user


@pytest.fixture
def tamil_press(defence):
    user = make_officer("press-tamil", Officer.Role.PRESS, [defence])
    user.officer.languages.set(["ta"])
    return user


@pytest.fixture
def approved(make_draft, press, languages):
    draft = make_draft(S.SUBMITTED)
    draft.translation_languages.set(["hi", "ta"])
    workflow.transition(press, draft.pk, "approve")
    draft.refresh_from_db()
    return draft


def task(draft, lang):
    return TranslationTask.objects.get(draft=draft, language=lang)


def test_approval_makes_a_task_per_chosen_language(approved):
    assert sorted(approved.tasks.values_list("language", "state")) == [("hi", T.TODO),
                                                                       ("ta", T.TODO)]


def test_a_translator_sees_only_their_languages_and_bureaus(approved, tamil_translator,
                                                             hindi_translator, chennai):
    ta, hi = task(approved, "ta"), task(approved, "hi")
    c = client_for(tamil_translator)
    dashboard = c.get("/newsroom/").content.decode()
    assert f"/newsroom/tasks/{ta.pk}/" in dashboard and f"/newsroom/tasks/{hi.pk}/" not in dashboard
    assert c.get(f"/newsroom/tasks/{hi.pk}/").status_code == 404
    assert c.post(f"/newsroom/tasks/{hi.pk}/", HINDI).status_code == 404
    assert c.get(f"/newsroom/drafts/{approved.pk}/").status_code == 404  # drafts: not theirs
    # Another bureau's desk does not see Delhi's release.
    tamil_translator.officer.bureaus.set([chennai])
    assert c.get(f"/newsroom/tasks/{ta.pk}/").status_code == 404


def test_translators_cannot_take_draft_actions(approved, tamil_translator):
    with pytest.raises(workflow.TransitionError):
        workflow.transition(tamil_translator, approved.pk, "publish")
    r = client_for(tamil_translator).post(f"/newsroom/drafts/{approved.pk}/publish/")
    assert r.status_code == 404


def test_drafted_then_reviewed_by_a_press_officer_of_that_language(
        approved, tamil_translator, tamil_press, press):
    ta = task(approved, "ta")
    r = client_for(tamil_translator).post(f"/newsroom/tasks/{ta.pk}/", TAMIL)
    assert r.status_code == 302
    ta.refresh_from_db()
    assert ta.state == T.IN_REVIEW and ta.title == TAMIL["title"]
    # The translator cannot approve their own work; a Hindi-only reviewer cannot either.
    with pytest.raises(workflow.TransitionError):
        workflow.task_transition(tamil_translator, ta.pk, "approve_translation")
    tamil_press.officer.languages.set(["hi"])
    with pytest.raises(workflow.TransitionError):
        workflow.task_transition(tamil_press, ta.pk, "approve_translation")
    tamil_press.officer.languages.set(["ta"])
    r = client_for(tamil_press).post(f"/newsroom/tasks/{ta.pk}/approve_translation/")
    ta.refresh_from_db()
    assert ta.state == T.APPROVED  # waits for the original
    entries = [workflow.describe(e) for e in approved.audit.order_by("id")]
    assert "Drafted the translation: தமிழ்" in entries
    assert "Approved the translation: தமிழ்" in entries


def test_sent_back_with_a_reason(approved, tamil_translator, tamil_press):
    ta = task(approved, "ta")
    workflow.task_transition(tamil_translator, ta.pk, "save_translation", fields=TAMIL)
    with pytest.raises(workflow.TransitionError):
        workflow.task_transition(tamil_press, ta.pk, "send_back_translation", reason="")
    workflow.task_transition(tamil_press, ta.pk, "send_back_translation",
                             reason="Use the ministry's Tamil name")
    ta.refresh_from_db()
    assert ta.state == T.TODO and ta.state_note == "Use the ministry's Tamil name"
    page = client_for(tamil_translator).get("/newsroom/").content.decode()
    assert "Use the ministry&#x27;s Tamil name" in page


def test_approved_translations_go_out_with_the_original_in_the_same_minute(
        approved, tamil_translator, tamil_press, hindi_translator, press):
    ta, hi = task(approved, "ta"), task(approved, "hi")
    workflow.task_transition(tamil_translator, ta.pk, "save_translation", fields=TAMIL)
    workflow.task_transition(tamil_press, ta.pk, "approve_translation")
    workflow.task_transition(hindi_translator, hi.pk, "save_translation", fields=HINDI)
    workflow.transition(press, approved.pk, "schedule", when=in_minutes(30))
    run = workflow.publish_due(now=in_minutes(31))
    assert len(run.published) == 1
    approved.refresh_from_db()
    versions = {v.language_id: v for v in LanguageVersion.objects.filter(
        release=approved.release_id)}
    assert set(versions) == {"en", "ta"}  # Hindi was not approved: it goes out later
    assert versions["ta"].translates_revision == 1
    assert task(approved, "ta").state == T.PUBLISHED
    # Later, on its own, once a Hindi reviewer approves it.
    workflow.task_transition(press, hi.pk, "approve_translation")
    assert LanguageVersion.objects.filter(release=approved.release_id, language="hi").exists()
    assert task(approved, "hi").state == T.PUBLISHED
    page = Client(HTTP_USER_AGENT=BROWSER).get(f"/release/{approved.release_id}/ta/")
    assert page.status_code == 200 and TAMIL["title"] in page.content.decode()


def test_a_media_officer_may_draft_the_hindi_beside_the_english(approved, media_defence):
    hi, ta = task(approved, "hi"), task(approved, "ta")
    c = client_for(media_defence)
    assert c.post(f"/newsroom/tasks/{hi.pk}/", HINDI).status_code == 302
    assert task(approved, "hi").state == T.IN_REVIEW
    assert c.post(f"/newsroom/tasks/{ta.pk}/", TAMIL).status_code == 404
    assert task(approved, "ta").state == T.TODO


def test_another_ministrys_press_officer_cannot_review(approved, press_finance,
                                                       tamil_translator):
    ta = task(approved, "ta")
    workflow.task_transition(tamil_translator, ta.pk, "save_translation", fields=TAMIL)
    assert client_for(press_finance).post(
        f"/newsroom/tasks/{ta.pk}/approve_translation/").status_code == 404
    assert task(approved, "ta").state == T.IN_REVIEW


def test_the_translator_sees_which_paragraphs_changed(approved, tamil_translator, press):
    ta = task(approved, "ta")
    workflow.task_transition(tamil_translator, ta.pk, "save_translation", fields=TAMIL)
    approved.refresh_from_db()
    workflow.save_draft(press, approved.pk, lock_version=approved.lock_version, fields={
        "ministry": approved.ministry, "title": approved.title,
        "body_html": "<p>First paragraph.</p><p>A new second paragraph.</p>"})
    ta.refresh_from_db()
    assert workflow.task_behind(ta)
    page = client_for(tamil_translator).get(f"/newsroom/tasks/{ta.pk}/").content.decode()
    assert "The original changed since this translation was drafted" in page
    assert "<ins>A new second paragraph.</ins>" in page
    assert "First paragraph." not in page.split("changed-paragraphs")[1].split("</ol>")[0]
    dashboard = client_for(tamil_translator).get("/newsroom/").content.decode()
    assert "behind the original" in dashboard


def test_the_draft_page_shows_each_language(approved, as_press, tamil_translator):
    workflow.task_transition(tamil_translator, task(approved, "ta").pk, "save_translation",
                             fields=TAMIL)
    page = as_press.get(f"/newsroom/drafts/{approved.pk}/").content.decode()
    assert "In review" in page and "Missing" in page


def test_no_tasks_on_a_withdrawn_release(approved, press, tamil_translator):
    workflow.transition(press, approved.pk, "publish")
    workflow.transition(press, approved.pk, "withdraw", reason="Superseded")
    with pytest.raises(workflow.TransitionError):
        workflow.task_transition(tamil_translator, task(approved, "ta").pk, "save_translation",
                                 fields=TAMIL)
