"""The audit log: every action recorded (who, what, when, from which state to which), and
no one can change or delete an entry — not the ORM, not the admin."""

import pytest
from django.contrib.auth import get_user_model

from ..models import AuditEntry, Draft
from .conftest import PASSWORD, client_for, draft_data

S = Draft.State


def test_a_whole_life_is_recorded_in_order(as_media, as_press, languages, defence, delhi):
    as_media.post("/newsroom/drafts/new/", draft_data(defence, delhi))
    draft = Draft.objects.get()
    as_media.post(f"/newsroom/drafts/{draft.pk}/submit/")
    as_press.post(f"/newsroom/drafts/{draft.pk}/approve/")
    as_press.post(f"/newsroom/drafts/{draft.pk}/publish/")
    as_press.post(f"/newsroom/drafts/{draft.pk}/withdraw/", {"reason": "Superseded", "confirm": "yes"})
    rows = list(AuditEntry.objects.filter(draft=draft).order_by("id").values_list(
        "actor_name", "action", "from_state", "to_state"))
    assert rows == [("media-defence", "create", "", "draft"),
                    ("media-defence", "submit", "draft", "submitted"),
                    ("press", "approve", "submitted", "approved"),
                    ("press", "publish", "approved", "published"),
                    ("press", "withdraw", "published", "withdrawn")]
    assert all(e.at for e in AuditEntry.objects.all())
    draft.refresh_from_db()
    assert AuditEntry.objects.filter(action="publish").get().release_id == draft.release_id
    page = as_press.get("/newsroom/audit/").content.decode()
    assert "Withdrew the release: Superseded" in page


def test_entries_cannot_be_changed_or_deleted(as_media, make_draft):
    draft = make_draft()
    as_media.post(f"/newsroom/drafts/{draft.pk}/submit/")
    entry = AuditEntry.objects.get()
    entry.note = "rewritten history"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.note == "" and AuditEntry.objects.count() == 1


def test_the_admin_shows_the_log_read_only_even_to_superusers(as_media, make_draft):
    draft = make_draft()
    as_media.post(f"/newsroom/drafts/{draft.pk}/submit/")
    entry = AuditEntry.objects.get()
    admin = get_user_model().objects.create_superuser("root", "root@example.in", PASSWORD)
    c = client_for(admin)
    assert c.get("/admin/newsroom/auditentry/").status_code == 200
    page = c.get(f"/admin/newsroom/auditentry/{entry.pk}/change/").content.decode()
    assert 'name="note"' not in page  # shown, not editable
    r = c.post(f"/admin/newsroom/auditentry/{entry.pk}/change/", {"note": "x", "action": "y"})
    assert r.status_code == 403
    assert c.post(f"/admin/newsroom/auditentry/{entry.pk}/delete/", {"post": "yes"}
                  ).status_code == 403
    assert c.get("/admin/newsroom/auditentry/add/").status_code == 403
    entry.refresh_from_db()
    assert entry.action == "submit"


def test_administrators_manage_people_ministries_bureaus_in_the_admin(db):
    admin = get_user_model().objects.create_superuser("root", "root@example.in", PASSWORD)
    c = client_for(admin)
    for url in ("/admin/auth/user/add/", "/admin/releases/ministry/add/",
                "/admin/releases/bureau/add/", "/admin/newsroom/journalist/add/"):
        assert c.get(url).status_code == 200, url
    page = c.get(f"/admin/auth/user/{admin.pk}/change/").content.decode()
    assert "officer-0-role" in page  # the officer role inline
