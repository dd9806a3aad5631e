"""From the publishing transaction to the SMTP server: outbox, matching, messages."""

from email import message_from_bytes, policy

import pytest
from django.db import transaction

from pressroom.alerts import worker
from pressroom.alerts.models import Delivery, Event, Subscriber, Subscription
from pressroom.alerts.sending import Sender
from pressroom.releases import store
from pressroom.releases.models import LanguageVersion

from .conftest import subscribe

K = Subscription.Kind


def run_worker():
    sender = Sender()
    try:
        return worker.run_once(sender)
    finally:
        sender.close_all()


def parsed(catcher):
    return [message_from_bytes(m["data"], policy=policy.default) for m in catcher.messages]


@pytest.mark.django_db
def test_publish_writes_the_outbox_in_its_transaction(defence, publish):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        publish(defence)
        assert Event.objects.count() == 1  # written inside the publishing transaction
        raise Boom
    assert Event.objects.count() == 0  # and gone with it
    release = publish(defence)
    event = Event.objects.get()
    assert (event.kind, event.release_id) == ("published", release.release_id)


@pytest.mark.django_db
def test_import_alerts_nobody(sample_archive, smtp):
    subscribe("a@example.org", K.ALL)
    assert Event.objects.count() == 0
    run_worker()
    assert smtp.count == 0


@pytest.mark.django_db
def test_each_matching_address_gets_one_message(defence, finance, publish, smtp):
    subscribe("ministry@example.org", K.MINISTRY, ministry=defence)
    subscribe("search@example.org", K.SEARCH, query="navy exercise")
    subscribe("both@example.org", K.MINISTRY, ministry=defence)
    subscribe("both@example.org", K.SEARCH, query="navy")  # follows it twice: one message
    subscribe("other@example.org", K.MINISTRY, ministry=finance)
    subscribe("nomatch@example.org", K.SEARCH, query="navy -chennai")
    subscribe("unconfirmed@example.org", K.MINISTRY, ministry=defence, confirmed=False)
    paused = subscribe("paused@example.org", K.MINISTRY, ministry=defence)
    Subscriber.objects.filter(pk=paused.subscriber_id).update(paused=True)
    publish(defence)
    counts = run_worker()
    assert counts["sent"] == 3
    rcpts = sorted(r for m in smtp.messages for r in m["to"])
    assert rcpts == ["both@example.org", "ministry@example.org", "search@example.org"]
    # A second pass sends nothing again.
    assert run_worker()["sent"] == 0
    assert smtp.count == 3
    assert Delivery.objects.filter(status="sent").count() == 3


@pytest.mark.django_db
def test_message_is_multipart_full_text_links_and_one_click(defence, chennai, publish, smtp):
    sub = subscribe("j@example.org", K.MINISTRY, ministry=defence)
    release = publish(defence, body='<p>Full text here.</p>'
                                    '<p onclick="x()">Second <script>bad()</script></p>')
    run_worker()
    [msg] = parsed(smtp)
    # (Django folds a long encoded subject onto a continuation line: hence the strip)
    assert str(msg["Subject"]).strip() == "PIB Chennai — Ministry of Defence: Exercise at sea"
    assert msg["From"].addresses[0].display_name == "PIB Chennai — Ministry of Defence"
    assert str(msg["To"]) == "j@example.org"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/one-click/" in msg["List-Unsubscribe"]
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    for part in (text, html):
        assert "Full text here." in part
        assert f"/release/{release.release_id}/" in part
        assert f"/verify/?release={release.release_id}" in part
        assert "/alerts/manage/" in part and "/alerts/unsubscribe/" in part
    assert "<script" not in html and "onclick" not in html
    assert '<html lang="en" dir="ltr">' in html
    # One click, as a mail client does it: no cookie, no CSRF token.
    from django.test import Client

    url = msg["List-Unsubscribe"].strip("<>").split("127.0.0.1:8000", 1)[1]
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=sub.pk).exists()


@pytest.mark.django_db
def test_hindi_subscription_gets_hindi_chrome_with_lang_dir(defence, publish, smtp):
    subscribe("hi@example.org", K.MINISTRY, ministry=defence, email_language="hi")
    publish(defence, title="नौसेना अभ्यास", body="<p>चेन्नई के तट पर अभ्यास।</p>", language="hi")
    run_worker()
    [msg] = parsed(smtp)
    html = msg.get_body(preferencelist=("html",)).get_content()
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert '<html lang="hi" dir="ltr">' in html
    assert '<article lang="hi" dir="ltr">' in html
    assert "अलर्ट" in text  # interface strings from the Hindi catalogue
    assert "नौसेना अभ्यास" in str(msg["Subject"])


@pytest.mark.django_db
def test_urdu_version_is_right_to_left(defence, publish, smtp):
    release = publish(defence)
    subscribe("ur@example.org", K.LANGUAGE, language_id="ur")
    store.put_translation(release, language="ur", fields=store.content_fields(
        title="بحری مشق", body_html="<p>چنئی کے ساحل پر۔</p>"))
    run_worker()
    [msg] = parsed(smtp)
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert '<article lang="ur" dir="rtl">' in html


@pytest.mark.django_db
def test_translation_correction_withdrawal(defence, publish, smtp):
    release = publish(defence)
    subscribe("en@example.org", K.MINISTRY, ministry=defence)
    subscribe("hi@example.org", K.MINISTRY, ministry=defence, email_language="hi")
    subscribe("hindi-lang@example.org", K.LANGUAGE, language_id="hi")
    run_worker()
    assert smtp.count == 2
    hi = store.put_translation(release, language="hi", fields=store.content_fields(title="अभ्यास"))
    run_worker()
    got = sorted(r for m in smtp.messages[2:] for r in m["to"])
    assert got == ["hi@example.org", "hindi-lang@example.org"]
    # Updating that translation is not news.
    store.put_translation(release, language="hi", fields=store.content_fields(title="अभ्यास २"))
    # A minor correction alerts nobody; a major one does, with its note.
    original = LanguageVersion.objects.get(release=release, is_original=True)
    store.correct_version(original, fields=store.content_fields(title="Exercise at sea."), note="typo")
    assert Event.objects.filter(kind="corrected").count() == 0
    store._changed([original.pk], store.CORRECT, major=True, note="Date of the exercise corrected")
    store.set_status(release, "withdrawn", "Issued in error")
    run_worker()
    new = parsed(smtp)[4:]
    subjects = sorted(str(m["Subject"]).strip() for m in new)
    assert len(new) == 5  # correction to 2 ministry followers, withdrawal to all 3
    assert sum(s.startswith("Corrected") or s.startswith("सुधार") for s in subjects) == 2
    texts = [m.get_body(preferencelist=("plain",)).get_content() for m in new]
    assert sum("Date of the exercise corrected" in t for t in texts) == 2
    assert sum("Issued in error" in t for t in texts) == 3
    assert hi.pk


@pytest.mark.django_db
def test_never_another_subscribers_address(defence, publish, smtp):
    for n in range(5):
        subscribe(f"r{n}@example.org", K.MINISTRY, ministry=defence)
    publish(defence)
    run_worker()
    assert smtp.count == 5
    for m in smtp.messages:
        assert len(m["to"]) == 1
        others = {f"r{n}@example.org" for n in range(5)} - set(m["to"])
        assert not any(o.encode() in m["data"] for o in others)


@pytest.mark.django_db
def test_header_injection_in_a_title_stays_in_the_subject(defence, publish, smtp):
    subscribe("j@example.org", K.MINISTRY, ministry=defence)
    publish(defence)
    LanguageVersion.objects.update(title="Hello\r\nBcc: victim@example.org")
    run_worker()
    [m] = smtp.messages
    assert m["to"] == ["j@example.org"]
    msg = parsed(smtp)[0]
    assert msg["Bcc"] is None
    assert "\n" not in str(msg["Subject"])


@pytest.mark.django_db
def test_permanent_failures_suppress_the_address(defence, publish, smtp, settings):
    settings.PRESSROOM = {**settings.PRESSROOM, "ALERTS_MAX_FAILURES": 2}
    sub = subscribe("gone@example.org", K.MINISTRY, ministry=defence)
    subscribe("ok@example.org", K.MINISTRY, ministry=defence)
    smtp.refuse.add("gone@example.org")
    for _ in range(2):
        publish(defence)
        run_worker()
    subscriber = Subscriber.objects.get(pk=sub.subscriber_id)
    assert subscriber.failures == 2 and subscriber.suppressed_at is not None
    assert Delivery.objects.filter(subscriber=subscriber, status="failed").count() == 2
    publish(defence)
    run_worker()
    assert Delivery.objects.filter(subscriber=subscriber).count() == 2  # no longer matched
    assert [m["to"] for m in smtp.messages] == [["ok@example.org"]] * 3


@pytest.mark.django_db
def test_temporary_failure_is_retried_with_backoff(defence, publish, smtp):
    subscribe("j@example.org", K.MINISTRY, ministry=defence)
    publish(defence)

    async def busy(envelope):
        return "451 4.3.0 try again later"

    smtp.before_accept = busy
    run_worker()
    d = Delivery.objects.get()
    assert (d.status, d.attempts) == ("pending", 1) and "451" in d.error
    smtp.before_accept = None
    run_worker()
    assert Delivery.objects.get().status == "pending"  # not due yet: backoff
    Delivery.objects.update(due_at=d.due_at.replace(year=2000))
    run_worker()
    assert Delivery.objects.get().status == "sent" and smtp.count == 1


@pytest.mark.django_db
def test_digest_collects_releases_into_one_message(defence, publish, smtp):
    sub = subscribe("digest@example.org", K.MINISTRY, ministry=defence, frequency="daily", digest_hour=7)
    publish(defence, title="First")
    publish(defence, title="Second")
    run_worker()
    assert smtp.count == 0
    ds = Delivery.objects.filter(subscription=sub)
    assert ds.count() == 2 and all(d.digest for d in ds)
    assert {d.due_at.astimezone(store.timezone.get_default_timezone()).hour for d in ds} == {7}
    ds.update(due_at=ds[0].due_at.replace(year=2000))
    run_worker()
    [msg] = parsed(smtp)
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "First" in text and "Second" in text
    assert str(msg["Subject"]).strip().startswith("2 new releases")
