"""The newsroom in Hindi (issue 13, item 3): every screen, message and audit entry through
gettext with a complete Hindi catalogue, full month names, history written for people."""

import re
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from .. import workflow
from ..models import Draft
from .conftest import client_for

S = Draft.State
PO = Path(__file__).resolve().parents[2] / "locale" / "hi" / "LC_MESSAGES" / "django.po"
HINDI_MONTHS = ("जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर",
                "अक्टूबर", "नवंबर", "दिसंबर")
# English words that would give away an untranslated interface string.
ENGLISH_UI = re.compile(r">\s*(?:Dashboard|New draft|Audit log|Sign out|State|History|"
                        r"What you can do|Submit for review|Send back|Approve|Edit|"
                        r"Preview the public page|Awaiting review|My drafts|Scheduled|"
                        r"Recently published|Reason)\s*<")


def hindi(user):
    c = client_for(user)
    c.cookies["django_language"] = "hi"
    return c


def test_the_catalogue_is_complete_and_compiles():
    untranslated = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", str(PO)],
                                  capture_output=True, text=True)
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-obsolete", str(PO)],
                           capture_output=True, text=True)
    if untranslated.returncode != 0:
        pytest.skip("GNU gettext's msgattrib is not installed")
    assert untranslated.stdout.count("msgid ") <= 1, untranslated.stdout[:2000]  # the header
    assert fuzzy.stdout.count("msgid ") <= 1, fuzzy.stdout[:2000]
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 5


def test_every_transition_speaks_hindi():
    with translation.override("hi"):
        for name, t in workflow.TRANSITIONS.items():
            for text in (t.label, t.done, t.audit):
                if text:
                    assert re.search("[\u0900-\u097f]", str(text)), (name, str(text))


def test_dashboard_and_draft_page_in_hindi(media_defence, press, make_draft):
    draft = make_draft(S.SUBMITTED)
    as_press = hindi(press)
    as_press.post(f"/newsroom/drafts/{draft.pk}/reject/", {"reason": "आँकड़े जाँचें"})
    dashboard = as_press.get("/newsroom/").content.decode()
    assert "डैशबोर्ड" in dashboard and "समीक्षा की प्रतीक्षा में" in dashboard
    as_media = hindi(media_defence)
    dashboard = as_media.get("/newsroom/").content.decode()
    assert "लौटाया गया" in dashboard and "आँकड़े जाँचें" in dashboard
    assert not ENGLISH_UI.search(dashboard), ENGLISH_UI.search(dashboard)
    detail = as_media.get(f"/newsroom/drafts/{draft.pk}/").content.decode()
    assert not ENGLISH_UI.search(detail), ENGLISH_UI.search(detail)
    # History for people, in Hindi: no codes like "reject" or "submitted → rejected".
    assert "मीडिया अधिकारी को वापस भेजा: आँकड़े जाँचें" in detail
    assert "→" not in detail.split("इतिहास")[1] and "reject" not in detail.split("इतिहास")[1]
    # Full month names, never cut short.
    assert any(m in detail for m in HINDI_MONTHS)
    r = as_media.post(f"/newsroom/drafts/{draft.pk}/redraft/", follow=True)
    assert "मसौदा फिर से खुला" in r.content.decode()


def test_audit_log_in_hindi(media_defence, make_draft):
    draft = make_draft()
    c = hindi(media_defence)
    c.post(f"/newsroom/drafts/{draft.pk}/submit/")
    page = c.get("/newsroom/audit/").content.decode()
    assert "कार्य-लेखा" in page and "समीक्षा के लिए भेजा" in page
    assert ">submit<" not in page


def test_forms_in_hindi(media_defence, languages):
    page = hindi(media_defence).get("/newsroom/drafts/new/").content.decode()
    assert "शीर्षक" in page and "मुख्य पाठ" in page and "मसौदा सहेजें" in page
    assert ">Title<" not in page and ">Body<" not in page


def test_hindi_month_names_are_spelled_in_full():
    from datetime import date

    from django.utils.formats import date_format

    with translation.override("hi"):
        names = [date_format(date(2026, m, 1), "F") for m in range(1, 13)]
    assert names == list(HINDI_MONTHS)
