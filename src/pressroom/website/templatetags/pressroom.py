import functools
import json
from html import escape

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pressroom.releases import names
from pressroom.releases.pibtext import IST, format_posted_on
from pressroom.releases.queries import filter_choices, record_state
from pressroom.urlcache import reverse_cached
from pressroom.website import language_names, localdates

register = template.Library()


@register.filter
def posted_on(value):
    """PIB's own way of printing a time: 04 OCT 2018 5:19PM (IST)."""
    return format_posted_on(value) if value else ""


@register.filter(expects_localtime=True)
def iso(value):
    """A time as ISO 8601 in the site's zone, for <time datetime> and feeds: what
    ``|date:'c'`` prints, without its format lookup and parser (~4x cheaper, 7 on a page)."""
    return value.isoformat() if value else ""


@register.filter
def day_as(value, fmt):
    """A day (a date, not a time) as ``|date:fmt`` prints it, remembered per day, format and
    language: a listing has up to 20 day headings, and each ``|date`` cost ~25 µs."""
    return _day(value, fmt, get_language()) if value else ""


@functools.lru_cache(maxsize=4096)
def _day(value, fmt, language):
    return date_format(value, fmt)


@register.filter
def ist_date(value):
    return value.astimezone(IST).date() if value else None


# In a <script> element only "</script" or "<!--" can end or confuse it; escaping <, > and &
# as JSON \u escapes keeps the data identical for a parser and inert for the HTML parser.
_SCRIPT_SAFE = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"),
                ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


@register.simple_tag
def cached_url(viewname, *args):
    """{% url %} for names with positional arguments, remembered (pressroom.urlcache): a page
    reverses a dozen names, each ~20 µs through Django."""
    return reverse_cached(viewname, args)


# Where a kept part's language links return to: a word urlencode and escaping leave alone.
_NEXT_PATH_MARK = "pressroomnextpathmark"
_kept_parts: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def kept_part(context, template_name):
    """A part of every page that is the same for every page in one interface language (the
    site's header with its language links, the footer): rendered once per language, script
    prefix and URLconf, then kept for as long as the process runs. Its two dozen translated
    words and links were a seventh of a release page's first render. The one thing of the
    request in it, the path a language link returns to, is put in here."""
    language = context.get("LANGUAGE_CODE")
    key = (template_name, language, get_language(), get_script_prefix(), get_urlconf())
    html = _kept_parts.get(key)
    if html is None:
        html = render_to_string(template_name, {"LANGUAGE_CODE": language,
                                                "next_path": _NEXT_PATH_MARK}).strip()
        _kept_parts[key] = html
    request = context.get("request")
    next_path = escape(urlencode(request.get_full_path() if request is not None else "/"))
    return mark_safe(html.replace(_NEXT_PATH_MARK, next_path))  # noqa: S308 - made by the template, the path escaped


@receiver(setting_changed)
def _forget_kept_parts(setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "ROOT_URLCONF", "STATIC_URL", "STORAGES"):
        _kept_parts.clear()


@register.simple_tag
def ld_json(data):
    """A <script type="application/ld+json"> block, safe whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    for char, escaped in _SCRIPT_SAFE:  # str.replace: a C scan; translate() maps char by char
        text = text.replace(char, escaped)
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


@register.simple_tag(takes_context=True)
def filter_options(context, kind, selected=None):
    """The <option>s of a filter's drop-down: every ministry, bureau or language
    (``releases.queries.filter_choices``), the one ``selected`` (an object, or its slug or
    code) marked. Made here rather than in a template loop: 150 options were a tenth of a
    search page. The record's state is read once per page, not once per drop-down."""
    state = context.render_context.get("record_state")
    if state is None:
        state = context.render_context["record_state"] = record_state()
    chosen = getattr(selected, "slug", None) or getattr(selected, "code", None) or selected or ""
    # The stdlib's escape on plain strings: Django's format_html per option cost ten times more.
    return mark_safe("".join(
        f'<option value="{escape(value)}" lang="{escape(lang)}"'
        f'{" selected" if value == chosen else ""}>{escape(label)}</option>'
        for value, label, lang in filter_choices(kind, state)))


@register.simple_tag(takes_context=True)
def release_item(context, release):
    """One release of a listing (the home page, /releases/, a day, a ministry): its shown
    version's title and link, the ministry and bureau in that version's language, the
    posted-on time in the reader's, the Release ID, and its languages. ``release`` comes
    from ``releases.queries.with_display_versions``.

    Made here, not in an included template: 20 of them were half of a listing's first render
    (cProfile: some 25 template nodes each), and a listing at 2,000,000 releases is nearly
    always a first render.
    """
    v = release.shown
    language = v.language_id if v is not None else "en"
    ministry, ministry_lang = names.name_in(release.ministry, language)
    bureau, bureau_lang = names.name_in(release.bureau, language)
    interface = context.get("LANGUAGE_CODE") or "en"
    if v is not None:
        href, title, direction = v.get_absolute_url(), v.title, v.language.direction
    else:
        href = title = direction = ""
    posted = release.posted_at
    parts = [
        f'<li class="release-item">\n  <p class="release-item__ministry" lang="{escape(ministry_lang)}">'
        f'{escape(ministry)}</p>\n  <h3 class="release-item__title"><a href="{escape(href)}" '
        f'lang="{escape(language)}" dir="{escape(direction)}">{escape(title)}</a></h3>\n'
        f'  <p class="release-item__meta">\n    <time datetime="{template_localtime(posted).isoformat()}">'
        f'{escape(localdates.posted_on(posted, interface))}</time> · <span lang="{escape(bureau_lang)}">'
        f'{escape(bureau)}</span> · {escape(_("Release ID"))} {release.release_id}\n'
    ]
    if release.status == "withdrawn":
        parts.append(f'    <strong class="tag tag--warning">{escape(_("Withdrawn"))}</strong>\n')
    parts.append("  </p>\n")
    if len(release.languages) > 1:
        parts.append('  <p class="release-item__languages">' + " · ".join(
            f'<span class="native-name" lang="{escape(lang.code)}" dir="{escape(lang.direction)}">'
            f'{escape(lang.native_name)}</span>' for lang in release.languages) + "</p>\n")
    parts.append("</li>")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
