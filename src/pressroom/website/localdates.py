"""Dates and numbers the way each language's readers expect them. Pure: no Django.

``posted_on(dt, lang)`` formats a release's posted-on time for one language version, in
Indian Standard Time whatever the server's zone: PIB stores and prints IST, and an hour
moved would change the day of some releases.

English keeps PIB's own form, ``04 OCT 2018 5:19PM``. The others use the language's own
month names, date order and AM/PM words from the Unicode CLDR (version 49, read through
Babel 2.19 once and written down here, so no run-time dependency), and digits as PIB's own
translators write them. Measured on the shared corpus (160 bundles, every digit outside
the Posted-On and Release-ID lines): Bengali 89 %, Manipuri 91 % and Assamese 79 % native
digits; every other language 0-4 %, Urdu included (96 % 0-9). So Bengali-script languages
get Bengali digits and the rest get 0-9, even where CLDR's default differs (Marathi: CLDR
says Devanagari digits, PIB's Marathi desk writes 0-9). A date in other digits than the
body it sits beside would look foreign on the page.
"""

from __future__ import annotations

from datetime import datetime

from pressroom.releases.labels import LABELS
from pressroom.releases.labels import POSTED_ON as _POSTED_ON
from pressroom.releases.languages import LANGUAGES
from pressroom.releases.pibtext import IST, format_posted_on

# code: (months January to December, am, pm, date pattern, time pattern, date-time pattern), from CLDR.
CLDR = {
    "hi": ("जनवरी फ़रवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर अक्टूबर नवंबर दिसंबर".split(),
           'am', 'pm', '{d} {month} {y}', '{h}:{mm} {ampm}', '{date}, {time}'),
    "ur": ("جنوری فروری مارچ اپریل مئی جون جولائی اگست ستمبر اکتوبر نومبر دسمبر".split(),
           'AM', 'PM', '{d} {month}، {y}', '{h}:{mm} {ampm}', '{date} {time}'),
    "pa": ("ਜਨਵਰੀ ਫ਼ਰਵਰੀ ਮਾਰਚ ਅਪ੍ਰੈਲ ਮਈ ਜੂਨ ਜੁਲਾਈ ਅਗਸਤ ਸਤੰਬਰ ਅਕਤੂਬਰ ਨਵੰਬਰ ਦਸੰਬਰ".split(),
           'AM', 'PM', '{d} {month} {y}', '{h}:{mm} {ampm}', '{date}, {time}'),
    "gu": ("જાન્યુઆરી ફેબ્રુઆરી માર્ચ એપ્રિલ મે જૂન જુલાઈ ઑગસ્ટ સપ્ટેમ્બર ઑક્ટોબર નવેમ્બર ડિસેમ્બર".split(),
           'AM', 'PM', '{d} {month}, {y}', '{hh}:{mm} {ampm}', '{date} {time}'),
    "mr": ("जानेवारी फेब्रुवारी मार्च एप्रिल मे जून जुलै ऑगस्ट सप्टेंबर ऑक्टोबर नोव्हेंबर डिसेंबर".split(),
           'AM', 'PM', '{d} {month}, {y}', '{h}:{mm} {ampm}', '{date}, {time}'),
    "te": ("జనవరి ఫిబ్రవరి మార్చి ఏప్రిల్ మే జూన్ జులై ఆగస్టు సెప్టెంబర్ అక్టోబర్ నవంబర్ డిసెంబర్".split(),
           'AM', 'PM', '{d} {month}, {y}', '{h}:{mm} {ampm}', '{date} {time}'),
    "kn": ("ಜನವರಿ ಫೆಬ್ರವರಿ ಮಾರ್ಚ್ ಏಪ್ರಿಲ್ ಮೇ ಜೂನ್ ಜುಲೈ ಆಗಸ್ಟ್ ಸೆಪ್ಟೆಂಬರ್ ಅಕ್ಟೋಬರ್ ನವೆಂಬರ್ ಡಿಸೆಂಬರ್".split(),
           'AM', 'PM', '{month} {d}, {y}', '{hh}:{mm} {ampm}', '{date} {time}'),
    "ml": ("ജനുവരി ഫെബ്രുവരി മാർച്ച് ഏപ്രിൽ മേയ് ജൂൺ ജൂലൈ ഓഗസ്റ്റ് സെപ്റ്റംബർ ഒക്\u200cടോബർ നവംബർ ഡിസംബർ".split(),
           'AM', 'PM', '{y} {month} {d}', '{h}:{mm} {ampm}', '{date}, {time}'),
    "ta": ("ஜனவரி பிப்ரவரி மார்ச் ஏப்ரல் மே ஜூன் ஜூலை ஆகஸ்ட் செப்டம்பர் அக்டோபர் நவம்பர் டிசம்பர்".split(),
           'AM', 'PM', '{d} {month}, {y}', '{h}:{mm} {ampm}', '{date}, {time}'),
    "or": ("ଜାନୁଆରୀ ଫେବୃଆରୀ ମାର୍ଚ୍ଚ ଅପ୍ରେଲ ମଇ ଜୁନ ଜୁଲାଇ ଅଗଷ୍ଟ ସେପ୍ଟେମ୍ବର ଅକ୍ଟୋବର ନଭେମ୍ବର ଡିସେମ୍ବର".split(),
           'AM', 'PM', '{month} {d}, {y}', '{h}:{mm} {ampm}', '{date}, {time}'),
    "bn": ("জানুয়ারি ফেব্রুয়ারি মার্চ এপ্রিল মে জুন জুলাই আগস্ট সেপ্টেম্বর অক্টোবর নভেম্বর ডিসেম্বর".split(),
           'AM', 'PM', '{d} {month}, {y}', '{h}:{mm} {ampm}', '{date} {time}'),
    "as": ("জানুৱাৰী ফেব্ৰুৱাৰী মাৰ্চ এপ্ৰিল মে’ জুন জুলাই আগষ্ট ছেপ্তেম্বৰ অক্টোবৰ নৱেম্বৰ ডিচেম্বৰ".split(),
           'পূৰ্বাহ্ন', 'অপৰাহ্ন', '{d} {month}, {y}', '{ampm} {h}.{mm}', '{date} {time}'),
    "mni": ("জনুৱারী ফেব্রুৱারি মার্চ এপ্রিল মে জুন জুলাই ওগষ্ট সেপ্টেম্বর ওক্টোবর নভেম্বর ডিসেম্বর".split(),
           'AM', 'PM', '{month} {d}, {y}', '{h}:{mm} {ampm}', '{date}, {time}'),
    "kok": ("जानेवारी फेब्रुवारी मार्च एप्रील मे जून जुलय ऑगस्ट सप्टेंबर ऑक्टोबर नोव्हेंबर डिसेंबर".split(),
           'AM', 'PM', '{d} {month} {y}', '{h}:{mm} {ampm}', '{date} {time}'),
    "doi": ("जनवरी फरवरी मार्च अप्रैल मेई जून जुलाई अगस्त सितंबर अक्तूबर नवंबर दिसंबर".split(),
           'सवेर', 'स’ञ', '{d}, {month} {y}', '{h}:{mm} {ampm}', '{date}, {time}'),
}

RIGHT_TO_LEFT = {code for code, _, _, _, direction in LANGUAGES if direction == "rtl"}

# Native digits only where PIB's translators use them (see the module docstring).
BENGALI_DIGITS = "০১২৩৪৫৬৭৮৯"
NATIVE_DIGITS = {"bn": BENGALI_DIGITS, "as": BENGALI_DIGITS, "mni": BENGALI_DIGITS}

# "Posted On" in each language, for the line under the title (one table, in releases).
POSTED_ON = _POSTED_ON


def to_ist(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("a posted-on time must carry its time zone")
    return dt.astimezone(IST)


def localise_digits(text: str, lang: str) -> str:
    """0-9 in ``text`` as the language writes them (unchanged for most languages)."""
    digits = NATIVE_DIGITS.get(lang)
    return text.translate(str.maketrans("0123456789", digits)) if digits else text


def format_number(n: int, lang: str) -> str:
    """A count with Indian grouping (12,34,567), in the language's digits."""
    sign, s = ("-", str(-n)) if n < 0 else ("", str(n))
    if len(s) > 3:
        head, tail = s[:-3], s[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        s = ",".join([head, *groups, tail]) if head else ",".join([*groups, tail])
    return localise_digits(sign + s, lang)


def posted_on(dt: datetime, lang: str = "en") -> str:
    """The posted-on time for a version in ``lang``; English exactly as PIB prints it."""
    t = to_ist(dt)
    style = CLDR.get(lang)
    if style is None:  # English, and any language we have no CLDR data for
        return format_posted_on(t)
    hour12 = t.hour % 12 or 12
    months, am, pm, date_pattern, time_pattern, datetime_pattern = style
    # AM/PM in the language's own words where CLDR keeps the Latin abbreviation.
    am, pm = LABELS.get(lang, {}).get("am", am), LABELS.get(lang, {}).get("pm", pm)
    date = date_pattern.format(d=t.day, month=months[t.month - 1], y=t.year)
    time = time_pattern.format(h=hour12, hh=f"{hour12:02d}", mm=f"{t.minute:02d}",
                               ampm=am if t.hour < 12 else pm)
    if lang in RIGHT_TO_LEFT and am.isascii():
        # "5:19 PM" inside Urdu would be laid out "PM 5:19": keep it one left-to-right run.
        time = f"\u2066{time}\u2069"
    return localise_digits(datetime_pattern.format(date=date, time=time), lang)


def posted_on_label(lang: str) -> str:
    return POSTED_ON.get(lang, "")
