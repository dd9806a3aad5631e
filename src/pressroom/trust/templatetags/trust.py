"""{% trust_block version %}: the "Signed by … · in log entry N · check it" block of a
release page, with a QR code of the verify link for print. The website includes it without
knowing anything of signatures.

The QR code is an image of its own (trust.views.qr_code), not drawn into the page: drawing it
was a quarter of a release page's first render, and only a printed page shows it."""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import render_value_in_context
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from pressroom.urlcache import reverse_cached

from .. import queries

register = template.Library()


# The block's words and layout are the same on every page in one interface language; only
# these values differ. The template is rendered once per language (and `intact`) with a
# marker in each value's place, then each page puts its values in, shown as the template
# would show them. It was a tenth of a release page's first render.
SLOTS = ("kid", "index", "verify_url", "proof_url", "qr_url", "txt_sig_url", "json_sig_url")
_kept: dict[tuple, str] = {}


def _mark(name: str) -> str:
    return f"\ue011{name}\ue011"  # private-use characters: never in a URL or key id, kept by escaping


@register.simple_tag(takes_context=True)
def trust_block(context, version):
    if version is None or not getattr(version, "pk", None):
        return ""
    entry = queries.latest_signed(version.pk)
    if entry is None:
        return ""
    request = context.get("request")
    path = version.get_absolute_url()
    verify_url = reverse_cached("trust:verify") + "?url=" + path
    if request is not None:
        verify_url = request.build_absolute_uri(verify_url)
    proof = (reverse_cached("trust:proof", (version.release_id,)) if version.is_original
             else reverse_cached("trust:proof_version", (version.release_id, version.language_id)))
    qr = (reverse_cached("trust:qr", (version.release_id,)) if version.is_original
          else reverse_cached("trust:qr_version", (version.release_id, version.language_id)))
    values = {"kid": entry.statement.get("kid"), "index": entry.index, "verify_url": verify_url,
              "proof_url": proof, "qr_url": qr,
              "txt_sig_url": reverse_cached("trust:text_signature", (version.release_id,)),
              "json_sig_url": reverse_cached("trust:json_signature", (version.release_id,))}
    intact = queries.matches_record(version, entry)
    language = context.get("LANGUAGE_CODE", "en")
    key = (intact, language, get_language(), get_script_prefix(), get_urlconf())
    html = _kept.get(key)
    if html is None:
        marks = {name: _mark(name) for name in SLOTS}
        html = _kept[key] = render_to_string("trust/_signed.html", {
            "entry": {"statement": {"kid": marks["kid"]}, "index": marks["index"]},
            "intact": intact, "LANGUAGE_CODE": language,
            **{name: mark for name, mark in marks.items() if name not in ("kid", "index")}})
    for name in SLOTS:
        html = html.replace(_mark(name), render_value_in_context(values[name], context))
    return mark_safe(html)  # noqa: S308 - the template's, each value shown as the template shows it


@receiver(setting_changed)
def _forget_kept(setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "ROOT_URLCONF", "STATIC_URL", "STORAGES"):
        _kept.clear()
