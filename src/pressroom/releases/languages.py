"""The languages PIB publishes in: code, English name, own name, script, direction.

Pure data, loaded into the Language table by a migration; the importer reads bundle file
names (``Hindi.txt``) against the English names here.
"""

# code, English name, name in its own script, ISO 15924 script, direction
LANGUAGES = [
    ("en", "English", "English", "Latn", "ltr"),
    ("hi", "Hindi", "हिन्दी", "Deva", "ltr"),
    ("ur", "Urdu", "اردو", "Arab", "rtl"),
    ("pa", "Punjabi", "ਪੰਜਾਬੀ", "Guru", "ltr"),
    ("gu", "Gujarati", "ગુજરાતી", "Gujr", "ltr"),
    ("mr", "Marathi", "मराठी", "Deva", "ltr"),
    ("te", "Telugu", "తెలుగు", "Telu", "ltr"),
    ("kn", "Kannada", "ಕನ್ನಡ", "Knda", "ltr"),
    ("ml", "Malayalam", "മലയാളം", "Mlym", "ltr"),
    ("ta", "Tamil", "தமிழ்", "Taml", "ltr"),
    ("or", "Odia", "ଓଡ଼ିଆ", "Orya", "ltr"),
    ("bn", "Bengali", "বাংলা", "Beng", "ltr"),
    ("as", "Assamese", "অসমীয়া", "Beng", "ltr"),
    # PIB writes Manipuri in the Bengali script.
    ("mni", "Manipuri", "মণিপুরী", "Beng", "ltr"),
    ("kok", "Konkani", "कोंकणी", "Deva", "ltr"),
    ("doi", "Dogri", "डोगरी", "Deva", "ltr"),
]

# Other spellings met in file names and scraped data.
ALIASES = {"oriya": "or", "bangla": "bn", "meitei": "mni", "meiteilon": "mni"}


def put_language_rows(language_model) -> None:
    """Make the Language table say what LANGUAGES says (idempotent). The migration runs it
    with its historical model; tests, after a transactional test emptied the table."""
    for position, (code, name, native, script, direction) in enumerate(LANGUAGES):
        language_model.objects.update_or_create(code=code, defaults={
            "name": name, "native_name": native, "script": script, "direction": direction,
            "position": position})


def language_code(name: str) -> str | None:
    """'Hindi', 'hindi', 'hi' or an alias -> 'hi'; None when unknown."""
    key = name.strip().lower()
    for code, english, native, _, _ in LANGUAGES:
        if key in (code, english.lower()) or name.strip() == native:
            return code
    return ALIASES.get(key)


# The language a script most likely means when nothing else says (PIB's usage).
_SCRIPT_LANGUAGE = [
    ((0x0900, 0x097F), "hi"), ((0x0600, 0x06FF), "ur"), ((0x0A00, 0x0A7F), "pa"),
    ((0x0A80, 0x0AFF), "gu"), ((0x0980, 0x09FF), "bn"), ((0x0B00, 0x0B7F), "or"),
    ((0x0B80, 0x0BFF), "ta"), ((0x0C00, 0x0C7F), "te"), ((0x0C80, 0x0CFF), "kn"),
    ((0x0D00, 0x0D7F), "ml"),
]


def guess_language(text: str) -> str:
    """The code of the language a text's letters are written in; 'en' for Latin."""
    counts: dict[str, int] = {}
    for ch in text[:2000]:
        if ch.isalpha():
            o = ord(ch)
            code = next((c for (lo, hi), c in _SCRIPT_LANGUAGE if lo <= o <= hi), "en")
            counts[code] = counts.get(code, 0) + 1
    return max(counts, key=counts.get) if counts else "en"
