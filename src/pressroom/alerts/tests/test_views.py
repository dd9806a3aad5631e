"""Sign-up without an account, double opt-in, manage, leave, limits, privacy."""

import re
from email import message_from_bytes, policy

import pytest
from django.test import Client

from pressroom.alerts.models import Delivery, Subscriber, Subscription

from .test_delivery import run_worker


def links(catcher, kind):
    msg = message_from_bytes(catcher.messages[-1]["data"], policy=policy.default)
    text = msg.get_body(preferencelist=("plain",)).get_content()
    return re.findall(rf"http://127\.0\.0\.1:8000(/alerts/{kind}/[^\s]+/)", text)


def sign_up(client, email, **fields):
    data = {"email": email, "kind": "ministry", "frequency": "immediate", "digest_hour": 8,
            "email_language": "en", **fields}
    return client.post("/alerts/subscribe/", data)


@pytest.mark.django_db
def test_get_alerts_links_on_ministry_release_and_search_pages(defence, publish, sample_archive):
    release = publish(defence)
    c = Client()
    page = c.get(f"/releases/?ministry={defence.slug}").content.decode()
    assert f'href="/alerts/subscribe/?ministry={defence.slug}"' in page
    release_page = c.get(f"/release/{release.release_id}/").content.decode()
    assert f'href="/alerts/subscribe/?ministry={defence.slug}"' in release_page
    assert 'href="/alerts/subscribe/?lang=hi"' in c.get("/releases/?lang=hi").content.decode()
    search = c.get("/search/?q=navy&ministry=" + defence.slug).content.decode()
    assert "/alerts/subscribe/?ministry=ministry-of-defence&amp;q=navy" in search
    form = c.get(f"/alerts/subscribe/?ministry={defence.slug}").content.decode()
    assert 'value="ministry" selected' in form and f'value="{defence.slug}" selected' in form


@pytest.mark.django_db
def test_double_opt_in_nothing_sent_before_confirmation(defence, publish, smtp):
    c = Client(enforce_csrf_checks=False)
    r = sign_up(c, "Journalist@Example.org", ministry=defence.slug, email_language="hi")
    assert r.status_code == 200 and smtp.count == 1  # only the confirmation
    confirm_msg = message_from_bytes(smtp.messages[0]["data"], policy=policy.default)
    assert "पुष्टि" in str(confirm_msg["Subject"])
    [confirm] = links(smtp, "confirm")
    publish(defence)
    run_worker()
    assert smtp.count == 1  # not confirmed: nothing sent
    assert c.get(confirm).status_code == 200  # a page with a button; a link scanner confirms nothing
    assert Subscription.objects.get().confirmed_at is None
    r = c.post(confirm)
    assert r.status_code == 302 and "/alerts/manage/" in r["Location"]
    assert Subscription.objects.get().confirmed_at is not None
    publish(defence, title="After confirmation")
    run_worker()
    assert smtp.count == 2 and smtp.messages[1]["to"] == ["journalist@example.org"]
    assert c.post("/alerts/confirm/1:forged:sig/").status_code == 404


@pytest.mark.django_db
def test_saved_search_subscription_in_hindi(defence, publish, smtp):
    c = Client()
    sign_up(c, "j@example.org", kind="search", q='"सैन्य अभ्यास"', ministry=defence.slug, email_language="hi")
    c.post(links(smtp, "confirm")[0])
    publish(defence, title="सैन्य अभ्यास चेन्नई में", body="<p>नौसेना</p>", language="hi")
    publish(defence, title="अभ्यास सैन्य", body="<p>not the phrase</p>", language="hi")
    run_worker()
    assert smtp.count == 2
    msg = message_from_bytes(smtp.messages[1]["data"], policy=policy.default)
    assert "सैन्य अभ्यास चेन्नई में" in str(msg["Subject"])


@pytest.mark.django_db
def test_bombing_an_address_is_capped(defence, smtp, settings):
    settings.PRESSROOM = {**settings.PRESSROOM, "ALERTS_CONFIRMATIONS_PER_ADDRESS": 3}
    for n in range(8):
        r = sign_up(Client(REMOTE_ADDR=f"10.0.0.{n}"), "victim@example.org", kind="all")
        assert r.status_code == 200  # the same answer every time: tells nothing
    assert smtp.count == 3


@pytest.mark.django_db
def test_sign_ups_per_client_are_limited(defence, smtp, settings):
    settings.PRESSROOM = {**settings.PRESSROOM, "ALERTS_SIGNUPS_PER_CLIENT": 5}
    c = Client()
    codes = [sign_up(c, f"a{n}@example.org", kind="all").status_code for n in range(7)]
    assert codes == [200] * 5 + [429] * 2
    assert smtp.count == 5


@pytest.mark.django_db
def test_header_injection_in_the_address_is_refused(defence, smtp):
    r = sign_up(Client(), "a@example.org\r\nBcc: victim@example.org", kind="all")
    assert r.status_code == 200 and "There is a problem" in r.content.decode()
    assert smtp.count == 0 and not Subscriber.objects.exists()
    r = sign_up(Client(), "a@example.org", kind="search", q="navy\r\nBcc: x@example.org")
    assert smtp.count == 0


@pytest.mark.django_db
def test_manage_change_pause_export_delete_and_csrf(defence, publish, smtp):
    c = Client()
    sign_up(c, "j@example.org", ministry=defence.slug)
    c.post(links(smtp, "confirm")[0])
    sub = Subscription.objects.get()
    manage = c.post(links(smtp, "confirm")[0])["Location"].split("?")[0]
    page = c.get(manage).content.decode()
    assert "Ministry of Defence" in page and "csrfmiddlewaretoken" in page
    # Forms on the manage page are CSRF-protected.
    assert Client(enforce_csrf_checks=True).post(manage, {"action": "delete"}).status_code == 403
    assert Subscriber.objects.exists()
    c.post(manage, {"action": "change", "subscription": sub.pk, "frequency": "weekly", "digest_hour": 9,
                    "email_language": "hi"})
    sub.refresh_from_db()
    assert (sub.frequency, sub.digest_hour, sub.email_language) == ("weekly", 9, "hi")
    c.post(manage, {"action": "pause"})
    publish(defence)
    run_worker()
    assert smtp.count == 1  # paused
    data = c.get(manage + "?export=json").json()
    assert data["email"] == "j@example.org" and data["subscriptions"][0]["frequency"] == "weekly"
    c.post(manage, {"action": "delete"})
    assert not Subscriber.objects.exists() and not Delivery.objects.exists()
    assert c.get(manage).status_code == 404


@pytest.mark.django_db
def test_unsubscribe_link_page_is_csrf_protected_one_click_is_not(defence, publish, smtp):
    c = Client()
    sign_up(c, "j@example.org", ministry=defence.slug)
    c.post(links(smtp, "confirm")[0])
    publish(defence)
    run_worker()
    [unsubscribe] = links(smtp, "unsubscribe")
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(unsubscribe).status_code == 200
    assert strict.post(unsubscribe).status_code == 403
    assert Subscription.objects.exists()
    assert c.post(unsubscribe).status_code == 200
    assert not Subscription.objects.exists()
    assert strict.get("/alerts/one-click/1:bad/").status_code == 405
    assert strict.post("/alerts/one-click/1:bad/").status_code == 404


@pytest.mark.django_db
def test_press_office_sees_counts_not_addresses(defence, smtp, admin_client):
    sign_up(Client(), "secret-person@example.org", ministry=defence.slug)
    page = admin_client.get("/admin/alerts/subscription/").content.decode()
    assert "secret-person" not in page and "waiting for confirmation" in page


@pytest.mark.django_db
def test_healthz_reports_outbox_age(defence, publish):
    publish(defence)
    r = Client().get("/healthz")
    assert "outbox age" in r.content.decode(), r.content
    assert r.status_code == 200, r.content


@pytest.mark.django_db
def test_demo_inbox_only_locally(settings, tmp_path):
    settings.PRESSROOM = {**settings.PRESSROOM, "DATA_DIR": tmp_path}
    (tmp_path / "mail").mkdir()
    from email.message import EmailMessage

    m = EmailMessage()
    m["Subject"], m["To"], m["From"] = "Hello caught", "a@example.org", "b@example.org"
    m.set_content("body")
    (tmp_path / "mail" / "1.eml").write_bytes(m.as_bytes())
    assert "Hello caught" in Client().get("/alerts/outbox-demo/").content.decode()
    assert Client(REMOTE_ADDR="203.0.113.9").get("/alerts/outbox-demo/").status_code == 404


@pytest.mark.django_db
def test_a_strangers_form_cannot_change_a_confirmed_alert(defence, smtp):
    c = Client()
    sign_up(c, "j@example.org", ministry=defence.slug)
    c.post(links(smtp, "confirm")[0])
    sign_up(Client(), "j@example.org", ministry=defence.slug, frequency="weekly", email_language="hi")
    sub = Subscription.objects.get()
    assert (sub.frequency, sub.email_language) == ("immediate", "en")
    assert smtp.count == 1  # and no new confirmation for what is confirmed
