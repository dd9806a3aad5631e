"""Alerts fixtures: a real SMTP server (aiosmtpd) on a free localhost port, a ministry, a
bureau, and a way to publish through the record's writer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pressroom.alerts.mailcatcher import Catcher, MailServer
from pressroom.alerts.models import Subscriber, Subscription
from pressroom.releases import store
from pressroom.releases.models import Bureau, Ministry


@pytest.fixture(autouse=True)
def one_sending_thread(settings):
    """In-process tests run inside a transaction only their own thread's connection sees, so
    the worker sends from that thread; the subprocess tests (kill -9, serve) use the default
    parallel connections."""
    settings.PRESSROOM = {**settings.PRESSROOM, "ALERTS_SMTP_CONNECTIONS": 1}


@pytest.fixture
def smtp(settings):
    """A real SMTP server; Django's e-mail settings point at it (never locmem)."""
    catcher = Catcher()
    server = MailServer(catcher).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    catcher.port = server.port
    yield catcher
    server.stop()


@pytest.fixture
def defence(db):
    return Ministry.objects.create(name="Ministry of Defence")


@pytest.fixture
def finance(db):
    return Ministry.objects.create(name="Ministry of Finance")


@pytest.fixture
def chennai(db):
    return Bureau.objects.create(name="PIB Chennai")


@pytest.fixture
def publish(languages, chennai):
    def run(ministry, title="Exercise at sea", body="<p>The Navy held an exercise off Chennai.</p>",
            language="en", bureau=None):
        return store.publish_release(
            ministry=ministry, bureau=bureau or chennai, language=language,
            posted_at=timezone.now() - timedelta(minutes=1),
            fields=store.content_fields(title=title, body_html=body, sign_off="ABC/XYZ"))
    return run


def subscribe(email, kind, confirmed=True, **fields):
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    return Subscription.objects.create(subscriber=subscriber, kind=kind,
                                       confirmed_at=timezone.now() if confirmed else None, **fields)
