"""Dates and numbers per language, with the IST time kept exact."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pressroom.releases.languages import LANGUAGES
from pressroom.website import localdates

# The seed's time, 04 OCT 2018 5:19PM IST, given in UTC as the database returns it.
SEED_TIME = datetime(2018, 10, 4, 11, 49, tzinfo=UTC)


@pytest.mark.parametrize("lang,expected", [
    ("en", "04 OCT 2018 5:19PM"),
    ("hi", "4 अक्टूबर 2018, 5:19 अपराह्न"),
    ("ur", "4 اکتوبر، 2018 5:19 بعد دوپہر"),  # AM/PM in Urdu words
    ("ta", "4 அக்டோபர், 2018, 5:19 பிற்பகல்"),
    ("ml", "2018 ഒക്\u200cടോബർ 4, 5:19 അപരാഹ്നം"),
    ("bn", "৪ অক্টোবর, ২০১৮ ৫:১৯ অপরাহ্ণ"),
    ("mr", "4 ऑक्टोबर, 2018, 5:19 म.उ."),
    ("gu", "4 ઑક્ટોબર, 2018 05:19 ઉત્તર મધ્યાહ્ન"),
])
def test_posted_on_in_each_language(lang, expected):
    assert localdates.posted_on(SEED_TIME, lang) == expected


def test_ist_is_kept_exact_across_midnight():
    # 19:00 UTC is half past midnight the next day in India: the day must move with it.
    late = datetime(2020, 3, 31, 19, 0, tzinfo=UTC)
    assert localdates.posted_on(late, "en") == "01 APR 2020 12:30AM"
    assert localdates.posted_on(late, "hi") == "1 अप्रैल 2020, 12:30 पूर्वाह्न"
    assert localdates.posted_on(late, "bn") == "১ এপ্রিল, ২০২০ ১২:৩০ পূর্বাহ্ণ"
    # Any zone in, the same IST out.
    new_york = late.astimezone(timezone(timedelta(hours=-4)))
    assert localdates.posted_on(new_york, "ta") == localdates.posted_on(late, "ta")


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        localdates.posted_on(datetime(2020, 1, 1, 10, 0), "hi")


def test_every_language_has_twelve_months_and_a_format():
    for code, *_ in LANGUAGES:
        text = localdates.posted_on(SEED_TIME, code)
        assert "2018" in text or "২০১৮" in text, code
        if code != "en":
            months = localdates.CLDR[code][0]
            assert len(months) == 12 and len(set(months)) == 12, code
            assert months[9] in text, code


@pytest.mark.parametrize("lang,digits", [("bn", "০১২৩৪৫৬৭৮৯"), ("as", "০১২৩৪৫৬৭৮৯"),
                                         ("mni", "০১২৩৪৫৬৭৮৯"), ("hi", "0123456789"),
                                         ("ur", "0123456789"), ("ta", "0123456789")])
def test_digits_follow_what_pib_translators_write(lang, digits):
    assert localdates.localise_digits("0123456789", lang) == digits


def test_numbers_use_indian_grouping():
    assert localdates.format_number(1100, "en") == "1,100"
    assert localdates.format_number(1234567, "hi") == "12,34,567"
    assert localdates.format_number(123, "en") == "123"
    assert localdates.format_number(-12345, "en") == "-12,345"
    assert localdates.format_number(1234567, "bn") == "১২,৩৪,৫৬৭"


def test_posted_line_on_release_pages(client, sample_archive):
    en = client.get("/release/1611208/").content.decode()
    assert "Posted On: <time" in en
    bn = client.get("/release/1611208/bn/").content.decode()
    assert "প্রকাশের তারিখ: <time" in bn
    posted = bn[bn.index('class="release__posted"'):]
    posted = posted[:posted.index("</p>")]
    assert "অক্টোবর" in posted or any(m in posted for m in localdates.CLDR["bn"][0])
    assert not any(d in posted.split("</time>")[0].split(">")[-1] for d in "0123456789")
