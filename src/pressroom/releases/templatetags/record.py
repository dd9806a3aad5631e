"""Names and fixed labels of a release in a version's language, for templates.

``{% with m=release.ministry|name_in:lang %}<p lang="{{ m.1 }}">{{ m.0 }}</p>{% endwith %}``
gives the ministry's name in ``lang`` and the language it is really in (English where it is
not translated yet); ``label`` does the same for "Posted On", "Release ID" and the rest.
"""

from django import template

from pressroom.releases import labels, names

register = template.Library()


@register.filter
def name_in(obj, lang):
    return names.name_in(obj, lang or "en")


@register.filter
def label(key, lang):
    return labels.label(key, lang or "en")
