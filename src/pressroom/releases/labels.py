"""The fixed words of a release page in the version's own language. Pure data and functions.

A translated page prints "Posted On", "by", "Release ID", "Visitor Counter", "Read this
release in" and AM/PM in its own language, as PIB's regional pages do; the parser
(``pibtext.POSTED_ON``) reads any such "Posted On" label back. Hindi follows PIB's Hindi
pages (प्रविष्टि तिथि, आगंतुक पटल); the other languages use their standard administrative
words (AM/PM: the Sanskrit-derived pūrvāhna / aparāhna pair most of them share, Urdu's
قبل دوپہر / بعد دوپہر). A language with no entry, or a label missing from its entry, falls
back to English and is marked ``lang="en"`` by the caller (``label()`` says which).
"""

from __future__ import annotations

ENGLISH = {
    "posted_on": "Posted On", "by": "by", "release_id": "Release ID",
    "visitor_counter": "Visitor Counter", "read_in": "Read this release in",
    "am": "AM", "pm": "PM",
}

LABELS = {
    "hi": {"posted_on": "प्रविष्टि तिथि", "by": "द्वारा", "release_id": "रिलीज़ आईडी",
           "visitor_counter": "आगंतुक पटल", "read_in": "यह विज्ञप्ति इन भाषाओं में पढ़ें",
           "am": "पूर्वाह्न", "pm": "अपराह्न"},
    "ur": {"posted_on": "تاریخ اشاعت", "by": "بذریعہ", "release_id": "ریلیز آئی ڈی",
           "visitor_counter": "وزیٹر کاؤنٹر", "read_in": "یہ ریلیز ان زبانوں میں پڑھیں",
           "am": "قبل دوپہر", "pm": "بعد دوپہر"},
    "pa": {"posted_on": "ਪ੍ਰਕਾਸ਼ਨ ਦੀ ਤਾਰੀਖ਼", "by": "ਦੁਆਰਾ", "release_id": "ਰਿਲੀਜ਼ ਆਈਡੀ",
           "visitor_counter": "ਵਿਜ਼ਿਟਰ ਕਾਊਂਟਰ", "read_in": "ਇਹ ਰਿਲੀਜ਼ ਇਨ੍ਹਾਂ ਭਾਸ਼ਾਵਾਂ ਵਿੱਚ ਪੜ੍ਹੋ",
           "am": "ਪੂ.ਦੁ.", "pm": "ਬਾ.ਦੁ."},
    "gu": {"posted_on": "પ્રકાશન તારીખ", "by": "દ્વારા", "release_id": "રિલીઝ આઈડી",
           "visitor_counter": "મુલાકાતીઓની સંખ્યા", "read_in": "આ પ્રેસ રિલીઝ આ ભાષાઓમાં વાંચો",
           "am": "પૂર્વ મધ્યાહ્ન", "pm": "ઉત્તર મધ્યાહ્ન"},
    "mr": {"posted_on": "प्रसिद्धी दिनांक", "by": "द्वारे", "release_id": "रिलीज आयडी",
           "visitor_counter": "अभ्यागत संख्या", "read_in": "हे प्रसिद्धीपत्रक या भाषांमध्ये वाचा",
           "am": "म.पू.", "pm": "म.उ."},
    "te": {"posted_on": "ప్రచురణ తేదీ", "by": "ద్వారా", "release_id": "విడుదల ఐడి",
           "visitor_counter": "సందర్శకుల సంఖ్య", "read_in": "ఈ ప్రకటనను ఈ భాషల్లో చదవండి",
           "am": "పూర్వాహ్నం", "pm": "అపరాహ్నం"},
    "kn": {"posted_on": "ಪ್ರಕಟಣೆಯ ದಿನಾಂಕ", "by": "ಮೂಲಕ", "release_id": "ಬಿಡುಗಡೆ ಐಡಿ",
           "visitor_counter": "ಸಂದರ್ಶಕರ ಸಂಖ್ಯೆ", "read_in": "ಈ ಪ್ರಕಟಣೆಯನ್ನು ಈ ಭಾಷೆಗಳಲ್ಲಿ ಓದಿ",
           "am": "ಪೂರ್ವಾಹ್ನ", "pm": "ಅಪರಾಹ್ನ"},
    "ml": {"posted_on": "പ്രസിദ്ധീകരിച്ച തീയതി", "by": "വഴി", "release_id": "റിലീസ് ഐഡി",
           "visitor_counter": "സന്ദർശകരുടെ എണ്ണം", "read_in": "ഈ അറിയിപ്പ് ഈ ഭാഷകളിൽ വായിക്കുക",
           "am": "പൂർവാഹ്നം", "pm": "അപരാഹ്നം"},
    "ta": {"posted_on": "வெளியிடப்பட்ட தேதி", "by": "வெளியிட்டது", "release_id": "வெளியீட்டு எண்",
           "visitor_counter": "பார்வையாளர் எண்ணிக்கை", "read_in": "இந்த செய்திக்குறிப்பை இம்மொழிகளில் படிக்கவும்",
           "am": "முற்பகல்", "pm": "பிற்பகல்"},
    "or": {"posted_on": "ପ୍ରକାଶନ ତାରିଖ", "by": "ଦ୍ୱାରା", "release_id": "ରିଲିଜ୍ ଆଇଡି",
           "visitor_counter": "ପରିଦର୍ଶକ ସଂଖ୍ୟା", "read_in": "ଏହି ବିଜ୍ଞପ୍ତି ଏହି ଭାଷାଗୁଡ଼ିକରେ ପଢ଼ନ୍ତୁ",
           "am": "ପୂର୍ବାହ୍ନ", "pm": "ଅପରାହ୍ନ"},
    "bn": {"posted_on": "প্রকাশের তারিখ", "by": "দ্বারা", "release_id": "রিলিজ আইডি",
           "visitor_counter": "দর্শক সংখ্যা", "read_in": "এই বিজ্ঞপ্তিটি এই ভাষাগুলিতে পড়ুন",
           "am": "পূর্বাহ্ণ", "pm": "অপরাহ্ণ"},
    "as": {"posted_on": "প্ৰকাশৰ তাৰিখ", "by": "দ্বাৰা", "release_id": "ৰিলিজ আইডি",
           "visitor_counter": "দৰ্শকৰ সংখ্যা", "read_in": "এই বিজ্ঞপ্তি এই ভাষাসমূহত পঢ়ক",
           "am": "পূৰ্বাহ্ন", "pm": "অপৰাহ্ন"},
}

# The table the parser's and the page's "Posted On" come from.
POSTED_ON = {"en": ENGLISH["posted_on"], **{code: t["posted_on"] for code, t in LABELS.items()}}


def label(key: str, language: str) -> tuple[str, str]:
    """(the label in ``language``, the language it is actually in): English when untranslated."""
    text = LABELS.get(language, {}).get(key)
    return (text, language) if text else (ENGLISH[key], "en")
