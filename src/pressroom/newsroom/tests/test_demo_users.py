"""The README's way in: `pressroom createdemo-users`, then sign in as each kind of officer."""

from io import StringIO

from django.core.management import call_command
from django.test import Client

from ..models import Officer


def test_demo_users_can_sign_in_and_do_their_jobs(languages):
    out = StringIO()
    call_command("createdemo-users", stdout=out)
    call_command("createdemo-users", stdout=StringIO())  # running it again is fine
    assert "media-defence" in out.getvalue() and "pressroom-demo" in out.getvalue()
    assert Officer.objects.count() == 3
    media = Client()
    r = media.post("/newsroom/login/", {"username": "media-defence",
                                        "password": "pressroom-demo"})
    assert r.status_code == 302
    page = media.get("/newsroom/drafts/new/").content.decode()
    assert "Ministry of Defence" in page and "Ministry of Finance" not in page
    admin = Client()
    admin.post("/admin/login/", {"username": "admin", "password": "pressroom-demo",
                                 "next": "/admin/"})
    assert admin.get("/admin/auth/user/").status_code == 200
