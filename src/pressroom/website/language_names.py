"""Language names in the interface's language: "Tamil" for English readers, "तमिल" for Hindi.

The record keeps English names (releases/languages.py); these markers put the same names in
the gettext catalogue, and the ``language_name`` template filter looks them up.
"""

from django.utils.translation import gettext, gettext_noop

NAMES = (
    gettext_noop("English"), gettext_noop("Hindi"), gettext_noop("Urdu"), gettext_noop("Punjabi"),
    gettext_noop("Gujarati"), gettext_noop("Marathi"), gettext_noop("Telugu"), gettext_noop("Kannada"),
    gettext_noop("Malayalam"), gettext_noop("Tamil"), gettext_noop("Odia"), gettext_noop("Bengali"),
    gettext_noop("Assamese"), gettext_noop("Manipuri"), gettext_noop("Konkani"), gettext_noop("Dogri"),
)


def language_name(english_name: str) -> str:
    """The name in the active interface language (the English name where none is known)."""
    return gettext(english_name) if english_name else ""
