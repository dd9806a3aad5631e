"""Month names for Django's date formats, so the catalogue can put them right.

Django's own Hindi catalogue spells three months without their nasal sign (सितमबर, नवमबर,
दिसमबर). Listing the names here puts them in Pressroom's catalogue, which Django reads
before its own (LOCALE_PATHS), so ``{{ date|date:"j F Y" }}`` prints CLDR's सितंबर, नवंबर,
दिसंबर. Nothing imports this module; ``makemessages`` reads it.
"""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"),
    gettext_noop("April"), gettext_noop("May"), gettext_noop("June"), gettext_noop("July"),
    gettext_noop("August"), gettext_noop("September"), gettext_noop("October"),
    gettext_noop("November"), gettext_noop("December"),
]
