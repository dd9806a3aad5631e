"""Permission boundaries by request: ministries, roles, forged fields, CSRF, sign-in."""


import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from ..models import Draft
from .conftest import BROWSER, PASSWORD, client_for, draft_data

S = Draft.State


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_signed_out_visitors_are_sent_to_sign_in(db):
    r = Client().get("/newsroom/")
    assert r.status_code == 302 and r["Location"].startswith("/newsroom/login/?next=")


def test_staff_without_an_officer_role_see_nothing(db):
    user = get_user_model().objects.create_user("clerk", password=PASSWORD, is_staff=True)
    assert client_for(user).get("/newsroom/").status_code == 403


@pytest.mark.parametrize("path", ["", "edit/", "preview/", "correct/", "translate/"])
def test_another_ministrys_draft_is_404_on_every_page(make_draft, finance, media_finance, path):
    draft = make_draft()  # Defence
    assert client_for(media_finance).get(f"/newsroom/drafts/{draft.pk}/{path}").status_code == 404


@pytest.mark.parametrize("action", ["submit", "approve", "publish", "force_publish", "withdraw"])
def test_another_ministrys_draft_cannot_be_acted_on(make_draft, press_finance, action):
    draft = make_draft(S.SUBMITTED)
    r = client_for(press_finance).post(f"/newsroom/drafts/{draft.pk}/{action}/", {"reason": "x"})
    assert r.status_code == 404
    draft.refresh_from_db()
    assert draft.state == S.SUBMITTED


def test_a_press_officer_for_a_set_of_ministries_sees_only_those(make_draft, finance,
                                                                 press_finance):
    mine = make_draft(ministry=finance, title="Budget highlights")
    theirs = make_draft(title="Defence exercise")
    c = client_for(press_finance)
    assert c.get(f"/newsroom/drafts/{mine.pk}/").status_code == 200
    assert c.get(f"/newsroom/drafts/{theirs.pk}/").status_code == 404
    mine.state = S.SUBMITTED
    mine.save()
    page = c.get("/newsroom/").content.decode()
    assert "Budget highlights" in page and "Defence exercise" not in page


def test_dashboard_and_audit_show_only_own_ministries(make_draft, finance, media_finance,
                                                     as_media, as_press):
    secret = make_draft(title="Defence secret plan")
    as_media.post(f"/newsroom/drafts/{secret.pk}/submit/")
    assert "Defence secret plan" in as_press.get("/newsroom/audit/").content.decode()
    make_draft(ministry=finance, title="Finance plan", created_by=media_finance)
    c = client_for(media_finance)
    for url in ("/newsroom/", "/newsroom/audit/"):
        assert "Defence secret plan" not in c.get(url).content.decode()
    assert "Finance plan" in c.get("/newsroom/").content.decode()


def test_forged_ministry_on_a_new_draft_is_refused(as_media, languages, finance, delhi):
    r = as_media.post("/newsroom/drafts/new/", draft_data(finance, delhi))
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    assert not Draft.objects.exists()


def test_forged_ministry_on_an_edit_is_refused(as_media, make_draft, finance, delhi):
    draft = make_draft()
    r = as_media.post(f"/newsroom/drafts/{draft.pk}/edit/",
                      draft_data(finance, delhi, lock_version=draft.lock_version))
    assert r.status_code == 400
    draft.refresh_from_db()
    assert draft.ministry.name == "Ministry of Defence" and draft.lock_version == 1


def test_media_officer_cannot_edit_after_submitting(as_media, make_draft, defence, delhi):
    draft = make_draft(S.SUBMITTED)
    r = as_media.post(f"/newsroom/drafts/{draft.pk}/edit/",
                      draft_data(defence, delhi, title="Changed", lock_version=1))
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.title != "Changed"


def test_media_officer_cannot_translate_or_share_previews(as_media, make_draft, defence):
    draft = make_draft(S.APPROVED)
    r = as_media.post(f"/newsroom/drafts/{draft.pk}/previews/", {"journalist": 1})
    assert r.status_code == 403
    r = as_media.post(f"/newsroom/drafts/{draft.pk}/translate/", {"language": "hi"})
    assert r.status_code == 302 and not draft.previews.exists()


def test_every_form_needs_a_csrf_token(languages, defence, delhi, media_defence, make_draft):
    c = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    c.force_login(media_defence)
    draft = make_draft()
    posts = [("/newsroom/drafts/new/", draft_data(defence, delhi)),
             (f"/newsroom/drafts/{draft.pk}/edit/", draft_data(defence, delhi, lock_version=1)),
             (f"/newsroom/drafts/{draft.pk}/submit/", {}),
             ("/newsroom/logout/", {})]
    for url, data in posts:
        assert c.post(url, data).status_code == 403, url
    assert Draft.objects.count() == 1 and Draft.objects.get().state == S.DRAFT
    # With the token from the form, the same post goes through.
    page = c.get("/newsroom/drafts/new/")
    token = page.cookies["csrftoken"].value
    r = c.post("/newsroom/drafts/new/", {**draft_data(defence, delhi),
                                          "csrfmiddlewaretoken": token})
    assert r.status_code == 302 and Draft.objects.count() == 2


def test_sign_in_form_needs_csrf_too(media_defence):
    c = Client(enforce_csrf_checks=True)
    r = c.post("/newsroom/login/", {"username": "media-defence", "password": PASSWORD})
    assert r.status_code == 403


def test_passwords_are_stored_hashed(settings, db):
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # not the tests' fast one
    user = get_user_model().objects.create_user("officer", password=PASSWORD)
    user.refresh_from_db()
    assert PASSWORD not in user.password and user.password.startswith("pbkdf2_sha256$")
    assert user.check_password(PASSWORD)


def test_sign_in_works_and_lands_on_the_dashboard(media_defence):
    c = Client()
    r = c.post("/newsroom/login/", {"username": "media-defence", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/newsroom/"
    assert c.get("/newsroom/").status_code == 200
