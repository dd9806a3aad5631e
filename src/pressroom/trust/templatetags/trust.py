"""{% trust_block version %}: the "Signed by … · in log entry N · check it" block of a
release page, with a QR code of the verify link for print. The website includes it without
knowing anything of signatures.

The QR code is an image of its own (trust.views.qr_code), not drawn into the page: drawing it
was a quarter of a release page's first render, and only a printed page shows it."""

from django import template

from pressroom.urlcache import reverse_cached

from .. import queries

register = template.Library()


@register.inclusion_tag("trust/_signed.html", takes_context=True)
def trust_block(context, version):
    if version is None or not getattr(version, "pk", None):
        return {}
    entry = queries.latest_signed(version.pk)
    if entry is None:
        return {}
    request = context.get("request")
    path = version.get_absolute_url()
    verify_url = reverse_cached("trust:verify") + "?url=" + path
    if request is not None:
        verify_url = request.build_absolute_uri(verify_url)
    proof = (reverse_cached("trust:proof", (version.release_id,)) if version.is_original
             else reverse_cached("trust:proof_version", (version.release_id, version.language_id)))
    qr = (reverse_cached("trust:qr", (version.release_id,)) if version.is_original
          else reverse_cached("trust:qr_version", (version.release_id, version.language_id)))
    return {"entry": entry, "intact": queries.matches_record(version, entry), "verify_url": verify_url,
            "proof_url": proof, "qr_url": qr,
            "txt_sig_url": reverse_cached("trust:text_signature", (version.release_id,)),
            "json_sig_url": reverse_cached("trust:json_signature", (version.release_id,)),
            "LANGUAGE_CODE": context.get("LANGUAGE_CODE", "en")}
