"""The cheap forms of what a release page prints must print exactly what Django's did."""

import datetime as dt
import json
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils.text import Truncator

from pressroom.releases.representations import first_words
from pressroom.releases.templatetags.record import Shown

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
WHEN = [dt.datetime(2026, 3, 5, 9, 14, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 5, 9, 14, 7, 250, tzinfo=IST),
        dt.datetime(1999, 12, 31, 23, 59, 59),  # naive
        dt.date(2026, 3, 5), None, ""]


def render(source, **context):
    return Template("{% load pressroom record %}" + source).render(Context(context))


@pytest.mark.parametrize("when", WHEN)
@pytest.mark.parametrize("zone", ["Asia/Kolkata", "UTC"])
def test_iso_prints_what_date_c_prints(when, zone, settings):
    settings.TIME_ZONE = zone
    assert render("{{ d|iso }}", d=when) == render("{{ d|date:'c' }}", d=when)


@pytest.mark.parametrize("text", [
    "", "one", " one  two ", "word " * 40, ("word " * 40).strip(), "word " * 41,
    "नमस्ते  दुनिया\n\t" * 30, "a\u00a0b " * 50, "x" * 5000,
])
def test_first_words_are_truncators(text):
    assert first_words(text, 40) == Truncator(text).words(40)


def test_names_read_by_attribute_and_still_unpack():
    shown = Shown("Ministry of Defence", "en")
    text, lang = shown
    assert (text, lang) == ("Ministry of Defence", "en")
    assert render("{{ m.text }}|{{ m.lang }}", m=shown) == "Ministry of Defence|en"


def test_ld_json_is_inert_in_html_and_the_same_data():
    data = {"headline": "</script><!-- & \u2028\u2029 <b>", "n": 1}
    out = render("{% ld_json d %}", d=data)
    inner = out.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not any(c in inner for c in "<>&\u2028\u2029")
    assert json.loads(inner) == data


@pytest.mark.parametrize("fmt", ["l, j F Y", "Y-m-d", "j F Y"])
@pytest.mark.parametrize("language", ["en", "hi"])
def test_day_as_prints_what_date_prints_in_each_language(fmt, language):
    from django.utils import translation

    days = [dt.date(2026, 3, 5), dt.date(1999, 12, 31), dt.date(2026, 3, 5)]  # again: kept
    with translation.override(language):
        for d in days:
            shown = render(f'{{{{ d|day_as:"{fmt}" }}}}', d=d)
            assert shown == render(f'{{{{ d|date:"{fmt}" }}}}', d=d)
    assert render('{{ d|day_as:"Y" }}', d=None) == ""
