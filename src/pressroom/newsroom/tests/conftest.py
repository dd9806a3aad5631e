"""Newsroom fixtures: two ministries, a bureau, officers of each kind, signed-in clients."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation

from pressroom.releases.models import Bureau, Ministry

from ..models import Draft, Officer

PASSWORD = "correct horse battery staple"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many users; test_permissions checks the real hasher separately."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_outside_requests():
    """A request in Hindi leaves Hindi active in the thread; words made outside a request
    (audit descriptions in tests) start from English again."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def defence(db):
    return Ministry.objects.create(name="Ministry of Defence")


@pytest.fixture
def finance(db):
    return Ministry.objects.create(name="Ministry of Finance")


@pytest.fixture
def delhi(db):
    return Bureau.objects.create(name="PIB Delhi")


def make_officer(username, role, ministries=(), all_ministries=False):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    officer = Officer.objects.create(user=user, role=role, all_ministries=all_ministries)
    officer.ministries.set(ministries)
    return user


@pytest.fixture
def media_defence(defence):
    return make_officer("media-defence", Officer.Role.MEDIA, [defence])


@pytest.fixture
def media_finance(finance):
    return make_officer("media-finance", Officer.Role.MEDIA, [finance])


@pytest.fixture
def press(db):
    return make_officer("press", Officer.Role.PRESS, all_ministries=True)


@pytest.fixture
def press_finance(finance):
    return make_officer("press-finance", Officer.Role.PRESS, [finance])


def client_for(user):
    c = Client(HTTP_USER_AGENT=BROWSER)
    c.force_login(user)
    return c


@pytest.fixture
def as_media(media_defence):
    return client_for(media_defence)


@pytest.fixture
def as_press(press):
    return client_for(press)


def draft_data(ministry, bureau, **extra):
    data = {"ministry": ministry.pk, "bureau": bureau.pk, "language": "en",
            "title": "Raksha Mantri visits Kazakhstan",
            "subtitles": "Agreement on defence cooperation\nJoint exercise planned",
            "body_html": "<p>The Raksha Mantri met his counterpart.</p><ul><li>One</li></ul>",
            "sign_off": "SRR/DK"}
    data.update(extra)
    return data


@pytest.fixture
def make_draft(languages, defence, delhi, media_defence):
    def make(state=Draft.State.DRAFT, ministry=None, **fields):
        values = {"title": "Raksha Mantri visits Kazakhstan", "subtitles": "A highlight",
                  "body_html": "<p>First paragraph.</p>", "sign_off": "SRR/DK",
                  "created_by": media_defence}
        values.update(fields)
        return Draft.objects.create(ministry=ministry or defence, bureau=delhi, language_id="en",
                                    state=state, **values)
    return make


def local_input(dt: datetime) -> str:
    """A datetime as a datetime-local field sends it (IST, the site's time zone)."""
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def in_minutes(n):
    return timezone.now() + timedelta(minutes=n)


def post_correction(client, draft, data):
    """A correction as an officer makes it: preview (with its diff), then publish that text."""
    import re

    r = client.post(f"/newsroom/drafts/{draft.pk}/correct/", {**data, "preview": "1"})
    found = re.search(r'name="previewed" value="([0-9a-f]+)"', r.content.decode())
    if found is None:
        return r  # refused at preview (a form error)
    return client.post(f"/newsroom/drafts/{draft.pk}/correct/",
                       {**data, "previewed": found.group(1), "publish": "1"})
