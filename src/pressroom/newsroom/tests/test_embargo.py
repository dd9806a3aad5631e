"""Embargoed previews: personal, signed, expiring links; every opening logged; publication
at embargo time by the same worker."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ..embargo import token_for
from ..models import AuditEntry, Draft, Journalist, PreviewGrant, PreviewOpening
from .conftest import BROWSER, in_minutes, local_input

S = Draft.State


@pytest.fixture
def journalist(db):
    return Journalist.objects.create(name="Asha Menon", email="asha@example.in",
                                     outlet="The Daily Record")


@pytest.fixture
def embargoed(make_draft):
    return make_draft(S.SCHEDULED, title="Monetary policy statement",
                      scheduled_for=in_minutes(120))


def share(client, draft, journalist, hours=3):
    return client.post(f"/newsroom/drafts/{draft.pk}/previews/", {
        "journalist": journalist.pk, "expires_at": local_input(in_minutes(hours * 60))})


def reader():
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.44")


def test_press_officer_shares_a_personal_link(as_press, embargoed, journalist):
    r = share(as_press, embargoed, journalist)
    assert r.status_code == 302
    grant = PreviewGrant.objects.get()
    assert grant.journalist == journalist and grant.draft == embargoed
    assert AuditEntry.objects.filter(action="share_preview", draft=embargoed).exists()
    page = as_press.get(f"/newsroom/drafts/{embargoed.pk}/").content.decode()
    assert f"/newsroom/embargo/{token_for(grant)}/" in page


def test_opening_the_link_shows_the_release_and_is_logged(as_press, embargoed, journalist):
    share(as_press, embargoed, journalist)
    url = f"/newsroom/embargo/{token_for(PreviewGrant.objects.get())}/"
    r = reader().get(url)
    assert r.status_code == 200
    page = r.content.decode()
    assert "Monetary policy statement" in page and "EMBARGOED" in page
    assert "Asha Menon" in page
    assert r["X-Robots-Tag"] == "noindex, nofollow" and "no-store" in r["Cache-Control"]
    reader().get(url)
    openings = PreviewOpening.objects.all()
    assert openings.count() == 2 and openings[0].ip == "192.0.2.44"
    assert "Chrome" in openings[0].user_agent


def test_behind_the_proxy_the_log_keeps_the_journalists_address(as_press, embargoed, journalist,
                                                               settings):
    settings.PRESSROOM = {**settings.PRESSROOM, "CLIENT_IP_HEADER": "X-Forwarded-For"}
    share(as_press, embargoed, journalist)
    url = f"/newsroom/embargo/{token_for(PreviewGrant.objects.get())}/"
    via_proxy = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.23")
    assert via_proxy.get(url).status_code == 200
    assert PreviewOpening.objects.get().ip == "198.51.100.23"  # the proxy's entry, not REMOTE_ADDR


def test_a_tampered_link_is_refused(as_press, embargoed, journalist):
    share(as_press, embargoed, journalist)
    token = token_for(PreviewGrant.objects.get())
    assert reader().get(f"/newsroom/embargo/{token[:-3]}abc/").status_code == 404
    assert reader().get("/newsroom/embargo/not-a-token/").status_code == 404
    assert PreviewOpening.objects.count() == 0


def test_an_expired_link_is_refused(embargoed, journalist):
    grant = PreviewGrant.objects.create(draft=embargoed, journalist=journalist,
                                        expires_at=timezone.now() - timedelta(seconds=1))
    r = reader().get(f"/newsroom/embargo/{token_for(grant)}/")
    assert r.status_code == 410 and "expired" in r.content.decode()
    # Nor can the expiry be stretched: it is part of what is signed.
    PreviewGrant.objects.filter(pk=grant.pk).update(expires_at=in_minutes(60))
    assert reader().get(f"/newsroom/embargo/{token_for(grant)}/").status_code == 404


def test_a_revoked_link_is_refused(as_press, embargoed, journalist):
    share(as_press, embargoed, journalist)
    grant = PreviewGrant.objects.get()
    as_press.post(f"/newsroom/drafts/{embargoed.pk}/previews/{grant.pk}/revoke/")
    assert reader().get(f"/newsroom/embargo/{token_for(grant)}/").status_code == 410


def test_only_accredited_journalists_and_bounded_expiry(as_press, embargoed, journalist):
    outsider = Journalist.objects.create(name="Anon", email="anon@example.com", accredited=False)
    share(as_press, embargoed, outsider)
    share(as_press, embargoed, journalist, hours=24 * 60)  # two months: too long
    share(as_press, embargoed, journalist, hours=-1)  # already expired
    assert not PreviewGrant.objects.exists()


def test_no_previews_before_approval(as_press, make_draft, journalist):
    draft = make_draft(S.SUBMITTED)
    share(as_press, draft, journalist)
    assert not PreviewGrant.objects.exists()


def test_at_embargo_time_it_publishes_on_its_own_and_the_link_leads_to_it(
        as_press, embargoed, journalist):
    share(as_press, embargoed, journalist)
    grant = PreviewGrant.objects.get()
    Draft.objects.filter(pk=embargoed.pk).update(scheduled_for=timezone.now())  # time comes
    call_command("publish-due", stdout=StringIO())
    embargoed.refresh_from_db()
    assert embargoed.state == S.PUBLISHED
    r = reader().get(f"/newsroom/embargo/{token_for(grant)}/")
    assert r.status_code == 302 and r["Location"] == f"/release/{embargoed.release_id}/"


def test_media_officers_do_not_see_journalists_personal_links(as_press, as_media, embargoed,
                                                              journalist):
    share(as_press, embargoed, journalist)
    page = as_media.get(f"/newsroom/drafts/{embargoed.pk}/").content.decode()
    assert "Asha Menon" in page and "/newsroom/embargo/" not in page
