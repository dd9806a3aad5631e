"""``{% alerts_link ministry=... %}``: the "Get alerts" link other apps' pages show, so they
need not know the alerts app's URLs or parameters."""

from django import template
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pressroom.urlcache import reverse_cached

register = template.Library()


@register.simple_tag
def alerts_link(ministry=None, bureau=None, lang=None, q=None, label=None):
    params = {}
    for key, value in (("ministry", ministry), ("bureau", bureau), ("lang", lang)):
        if value:
            params[key] = getattr(value, "slug", None) or getattr(value, "code", None) or str(value)
    if q:
        params["q"] = q
    url = reverse_cached("alerts:subscribe") + (f"?{urlencode(params)}" if params else "")
    return format_html('<a class="alerts-link" href="{}">{}</a>', url, label or _("Get alerts"))
