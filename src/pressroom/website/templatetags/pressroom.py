import json
from html import escape

from django import template
from django.utils.safestring import mark_safe

from pressroom.releases.pibtext import IST, format_posted_on
from pressroom.releases.queries import filter_choices
from pressroom.urlcache import reverse_cached
from pressroom.website import language_names, localdates

register = template.Library()


@register.filter
def posted_on(value):
    """PIB's own way of printing a time: 04 OCT 2018 5:19PM (IST)."""
    return format_posted_on(value) if value else ""


@register.filter
def ist_date(value):
    return value.astimezone(IST).date() if value else None


# In a <script> element only "</script" or "<!--" can end or confuse it; escaping <, > and &
# as JSON \u escapes keeps the data identical for a parser and inert for the HTML parser.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026",
                ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029"}


@register.simple_tag
def cached_url(viewname, *args):
    """{% url %} for names with positional arguments, remembered (pressroom.urlcache): a page
    reverses a dozen names, each ~20 µs through Django."""
    return reverse_cached(viewname, args)


@register.simple_tag
def ld_json(data):
    """A <script type="application/ld+json"> block, safe whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, default=str).translate(_SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")
@register.filter
def posted_on_in(value, lang):
    """The posted-on time in a language's own months and digits (English: PIB's form)."""
    return localdates.posted_on(value, lang or "en") if value else ""


@register.filter
def posted_on_label(lang):
    return localdates.posted_on_label(lang)


@register.filter
def number_in(value, lang):
    return localdates.format_number(int(value), lang or "en") if value is not None else ""


@register.filter
def language_name(lang):
    """A Language (or its English name) named in the interface's language."""
    return language_names.language_name(getattr(lang, "name", lang))


@register.simple_tag
def filter_options(kind, selected=None):
    """The <option>s of a filter's drop-down: every ministry, bureau or language
    (``releases.queries.filter_choices``), the one ``selected`` (an object, or its slug or
    code) marked. Made here rather than in a template loop: 150 options were a tenth of a
    search page."""
    chosen = getattr(selected, "slug", None) or getattr(selected, "code", None) or selected or ""
    # The stdlib's escape on plain strings: Django's format_html per option cost ten times more.
    return mark_safe("".join(
        f'<option value="{escape(value)}" lang="{escape(lang)}"'
        f'{" selected" if value == chosen else ""}>{escape(label)}</option>'
        for value, label, lang in filter_choices(kind)))
