"""Fixtures the website's tests share: a reader with a browser, the seed release."""

import pytest
from django.test import Client

from conftest import SEED

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@pytest.fixture
def reader():
    """A person's browser: its views count."""
    return Client(HTTP_USER_AGENT=BROWSER)


@pytest.fixture
def seed(import_paths):
    from pressroom.releases.models import Release

    import_paths(SEED)
    return Release.objects.get(release_id=1548606)
