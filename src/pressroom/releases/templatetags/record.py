"""Names and fixed labels of a release in a version's language, for templates.

``{% with m=release.ministry|name_in:lang %}<p lang="{{ m.lang }}">{{ m.text }}</p>{% endwith %}``
gives the ministry's name in ``lang`` and the language it is really in (English where it is
not translated yet); ``label`` does the same for "Posted On", "Release ID" and the rest.
"""

from typing import NamedTuple

from django import template

from pressroom.releases import labels, names

register = template.Library()


class Shown(NamedTuple):
    """A name or label and the language it is really in. Read by attribute, not ``m.0``: the
    template engine reaches an index only after a failed attribute lookup and a dir() of the
    tuple, which cost more than the rest of the lookup (several times on every release page)."""

    text: str
    lang: str


@register.filter
def name_in(obj, lang):
    return Shown(*names.name_in(obj, lang or "en"))


@register.filter
def label(key, lang):
    return Shown(*labels.label(key, lang or "en"))
