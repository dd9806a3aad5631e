"""The release page's own parts (website/release_detail.html), made in Python.

At 2,000,000 releases nearly every release page a reader asks for is a first render, and
Django's template engine was three quarters of one (cProfile: some 130 nodes and 100 variable
lookups a page). These tags give, byte for byte, what the template's lines gave: each value
shown goes through Django's own `render_value_in_context` (localised, escaped), each word
through `gettext`/`ngettext` as {% translate %} and {% blocktranslate %} do. The other apps'
parts (the signature block, the alerts link) and the photos stay templates and tags of their
own, in release_detail.html between these.

The context is the one `releases.representations.release_page_context` makes, for the public
page and the newsroom's preview alike.
"""

from html import escape

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

from pressroom.releases import labels, names
from pressroom.urlcache import reverse_cached
from pressroom.website.templatetags.pressroom import (
    iso,
    language_name,
    ld_json,
    posted_on,
    posted_on_in,
)

register = template.Library()


class _Page:
    """What the parts read of the page's context, and `show`: a value as {{ value }} prints it."""

    def __init__(self, context):
        self.context = context
        self.release = context.get("release")
        self.version = context.get("version")
        self.original = context.get("original")
        self.versions = context.get("versions") or []
        self.revisions = context.get("revisions")
        self.preview_notice = context.get("preview_notice")

    def show(self, value) -> str:
        if type(value) is str and self.context.autoescape:
            return escape(value)  # what conditional_escape gives a plain str, its checks skipped
        return render_value_in_context(value, self.context)

    def get(self, name):
        return self.context.get(name)


def _iso(value) -> str:
    """|iso, given the local time as the template engine gives that filter."""
    return iso(template_localtime(value)) if value else ""


@register.simple_tag(takes_context=True)
def release_head(context):
    """The <head> lines of a release: canonical and alternate links, Open Graph, JSON-LD."""
    p = _Page(context)
    show, version, release = p.show, p.version, p.release
    version_urls = p.get("version_urls") or {}
    out = [f'<link rel="canonical" href="{show(p.get("canonical_url"))}">\n']
    out += [f'<link rel="alternate" hreflang="{show(code)}" href="{show(url)}">\n'
            for code, url in version_urls.items()]
    if p.original:
        out.append(f'<link rel="alternate" hreflang="x-default" '
                   f'href="{show(version_urls.get(p.original.language_id, ""))}">\n')
    out.append(
        f'<link rel="alternate" type="text/plain" href="{show(p.get("text_url"))}">\n'
        f'<link rel="alternate" type="application/json" href="{show(p.get("json_url"))}">\n'
        '<meta property="og:type" content="article">\n'
        '<meta property="og:site_name" content="Pressroom">\n'
        f'<meta property="og:title" content="{show(version.title)}">\n'
        f'<meta property="og:description" content="{show(p.get("description"))}">\n'
        f'<meta property="og:url" content="{show(p.get("canonical_url"))}">\n'
        f'<meta property="og:locale" content="{show(p.get("og_locale"))}">\n'
        f'<meta property="article:published_time" content="{show(_iso(release.posted_at))}">\n'
        f'<meta property="article:modified_time" content="{show(_iso(p.get("modified")))}">\n'
        f'<meta property="article:section" content="{show(release.ministry.name)}">\n'
        '<meta name="twitter:card" content="summary">\n'
        f'{ld_json(p.get("article"))}\n')
    return mark_safe("".join(out))  # noqa: S308 - every value shown through render_value_in_context


@register.simple_tag(takes_context=True)
def release_feeds(context):
    """The ministry's feed, and the language's for a translation (after the site's feeds)."""
    p = _Page(context)
    show, version, release = p.show, p.version, p.release
    ministry_feed = reverse_cached("website:feed_ministry_atom", (release.ministry.slug,))
    out = (f'<link rel="alternate" type="application/atom+xml" title="{show(release.ministry.name)} '
           f'(Atom)" href="{show(ministry_feed)}">\n')
    if not version.is_original:
        language_feed = reverse_cached("website:feed_language_atom", (version.language_id,))
        out += (f'<link rel="alternate" type="application/atom+xml" title="{show(version.language.name)} '
                f'(Atom)" href="{show(language_feed)}">')
    return mark_safe(out)  # noqa: S308 - every value shown through render_value_in_context


@register.simple_tag(takes_context=True)
def release_top(context):
    """From the notices (preview, withdrawn, which language) to the updated line: all of the
    article before its lead photo."""
    p = _Page(context)
    show, version, release, original = p.show, p.version, p.release, p.original
    interface = p.get("LANGUAGE_CODE")
    out = []
    if p.preview_notice:
        out.append(f'<div class="notice notice--preview" role="note"><p><strong>{show(p.preview_notice)}'
                   '</strong></p>')
        if p.get("preview_back_url"):
            out.append(f'<p><a href="{show(p.get("preview_back_url"))}">'
                       f'{gettext("Back to the draft")}</a></p>')
        out.append("</div>")
    out.append("\n")
    if release.status == "withdrawn":
        out.append(f'\n<div class="notice notice--warning" role="note"><h2>'
                   f'{gettext("This release has been withdrawn")}</h2>')
        if release.status_at:
            out.append(f'<p>{gettext("Withdrawn on")} <time datetime="{show(_iso(release.status_at))}">'
                       f'{show(posted_on_in(release.status_at, interface))}</time></p>')
        if release.status_note:
            out.append(f"<p>{show(release.status_note)}</p>")
        out.append("</div>\n")
    out.append("\n")
    count = len(p.versions)
    if not version.is_original and original:
        note = gettext("%(name)s translation. The release was first issued in %(orig)s.") % {
            "name": show(language_name(version.language)),
            "orig": show(language_name(original.language))}
        out.append(f'<p class="release__language-note">{note} <a href="{show(original.get_absolute_url())}" '
                   f'hreflang="{show(original.language_id)}">{gettext("Read the original")}</a></p>\n')
    elif count > 1:
        n = count - 1
        note = ngettext("Original release, issued in %(name)s, with %(n)s translation.",
                        "Original release, issued in %(name)s, with %(n)s translations.", n) % {
            "name": show(language_name(version.language)), "n": show(n)}
        out.append(f'<p class="release__language-note">{note}</p>\n')
    lang = version.language_id
    out.append(f'<article class="release" lang="{show(lang)}" dir="{show(version.language.direction)}">\n  ')
    ministry, ministry_lang = names.name_in(release.ministry, lang or "en")
    out.append('<p class="release__ministry"')
    if ministry_lang != lang:
        out.append(f' lang="{show(ministry_lang)}" dir="ltr"')
    out.append(f'>{show(ministry)}</p>\n  <h1 class="release__title">{show(version.title)}</h1>\n  ')
    subtitles = version.subtitle_list
    if subtitles:
        out.append('<ul class="release__subtitles">' + "".join(f"<li>{show(s)}</li>" for s in subtitles)
                   + "</ul>")
    out.append("\n  ")
    posted_iso = show(_iso(release.posted_at))
    if lang == "en":
        out.append(f'<p class="release__posted" lang="en" dir="ltr">Posted On: <time datetime="{posted_iso}">'
                   f'{show(posted_on(release.posted_at))}</time> by {show(release.bureau.name)}</p>\n  ')
    else:
        posted, posted_lang = labels.label("posted_on", lang or "en")
        by, by_lang = labels.label("by", lang or "en")
        bureau, bureau_lang = names.name_in(release.bureau, lang or "en")
        out.append('<p class="release__posted">')
        out.append(f'<span lang="en">{show(posted)}</span>' if posted_lang != lang else show(posted))
        out.append(f': <time datetime="{posted_iso}">{show(posted_on_in(release.posted_at, lang))}</time> ')
        out.append(f'<span lang="en">{show(by)}</span>' if by_lang != lang else show(by))
        bdi_lang = ' lang="en"' if bureau_lang != lang else ""
        out.append(f" <bdi{bdi_lang}>{show(bureau)}</bdi></p>")
    out.append("\n  ")
    if p.revisions:
        latest = p.revisions[0]
        if latest.reason == "correction" and latest.note:
            out.append(f'<p class="release__updated" lang="en" dir="ltr">{gettext("Updated on")} '
                       f'<time datetime="{show(_iso(latest.replaced_at))}">'
                       f'{show(posted_on(latest.replaced_at))}</time>: {show(latest.note)}</p>')
    out.append("\n  ")
    if (not version.is_original and original and version.translates_revision
            and version.translates_revision < original.revision):
        orig, url = show(original.language.name), show(original.get_absolute_url())
        behind = gettext("This translation was made before the latest update of the %(orig)s original. "
                         "<a href=\"%(url)s\">Read the %(orig)s original</a> for the current text.") % {
            "orig": orig, "url": url}
        out.append(f'<p class="notice release__behind" lang="en" dir="ltr">{behind}</p>')
    out.append("\n  ")
    return mark_safe("".join(out))  # noqa: S308 - every value shown through render_value_in_context


@register.simple_tag(takes_context=True)
def release_middle(context):
    """The body, separator, sign-off and the Release ID with its visitor counter."""
    p = _Page(context)
    show, version, release = p.show, p.version, p.release
    out = [f'\n  <div class="release__body">{version.body_html}</div>\n  ']
    if version.separator:
        out.append(f'<p class="release__separator" aria-hidden="true">{show(version.separator)}</p>')
    out.append("\n  ")
    if version.sign_off:
        out.append(f'<p class="release__signoff">{show(linebreaksbr(version.sign_off, autoescape=True))}</p>')
    out.append("\n  ")
    lang = version.language_id
    release_id = show(version.pib_id or release.release_id)
    count = show(p.get("visitor_count"))
    if p.preview_notice:
        out.append('<p class="release__ids" lang="en" dir="ltr">(Release ID: given at publication)</p>')
    elif lang == "en":
        out.append(f'<p class="release__ids" lang="en" dir="ltr">(Release ID: {release_id}) '
                   f'Visitor Counter : {count}</p>')
    else:
        rid, rid_lang = labels.label("release_id", lang or "en")
        vc, vc_lang = labels.label("visitor_counter", lang or "en")
        out.append('<p class="release__ids">(')
        out.append(f'<span lang="en">{show(rid)}</span>' if rid_lang != lang else show(rid))
        out.append(f": <bdi>{release_id}</bdi>) ")
        out.append(f'<span lang="en">{show(vc)}</span>' if vc_lang != lang else show(vc))
        out.append(f" : <bdi>{count}</bdi></p>")
    out.append("\n  ")
    return mark_safe("".join(out))  # noqa: S308 - every value shown through render_value_in_context


@register.simple_tag(takes_context=True)
def release_bottom(context):
    """After the signature block: the other languages, the change history, and the other
    formats up to (not including) the alerts link."""
    p = _Page(context)
    show, version, release = p.show, p.version, p.release
    interface = p.get("LANGUAGE_CODE")
    out = ["\n"]
    if len(p.versions) > 1:
        read, read_lang = labels.label("read_in", version.language_id or "en")
        direction = version.language.direction if read_lang == version.language_id else "ltr"
        out.append(f'\n<nav class="language-switcher" aria-labelledby="read-in">\n  <h2 id="read-in" '
                   f'lang="{show(read_lang)}" dir="{show(direction)}">{show(read)}</h2>\n  <ul>')
        for v in p.versions:
            out.append("\n    <li>")
            if v == version:
                out.append(f'<strong class="native-name" lang="{show(v.language_id)}" '
                           f'dir="{show(v.language.direction)}" aria-current="page">'
                           f'{show(v.language.native_name)}</strong>')
            else:
                out.append(f'<a class="native-name" href="{show(v.path)}" lang="{show(v.language_id)}" '
                           f'hreflang="{show(v.language_id)}" dir="{show(v.language.direction)}">'
                           f'{show(v.language.native_name)}</a>')
            if v.is_original:
                out.append(f' <span class="tag">{gettext("original")}</span>')
            out.append("</li>\n  ")
        out.append("</ul>\n</nav>\n")
    out.append("\n")
    if p.revisions:
        out.append(f'\n<section class="history"><h2>{gettext("Change history")}</h2>\n')
        if not p.preview_notice:
            changes = reverse_cached("website:release_changes", (release.release_id, version.language_id))
            out.append(f'<p><a href="{show(changes)}">{gettext("What changed")}</a></p>')
        out.append("\n<ul>")
        for r in p.revisions:
            note = show(r.note) if r.note else show(r.get_reason_display())
            out.append(f'<li><time datetime="{show(_iso(r.replaced_at))}">'
                       f'{show(posted_on_in(r.replaced_at, interface))}</time>: {note}</li>')
        out.append("</ul></section>\n")
    out.append("\n")
    if not p.preview_notice:
        ministry, ministry_lang = names.name_in(release.ministry, interface or "en")
        out.append(
            f'<p class="release__formats"><a href="{show(p.get("text_url"))}">'
            f'{gettext("Plain text (PIB layout)")}</a> · <a href="{show(p.get("json_url"))}">'
            f'{gettext("JSON")}</a> · <a href="{show(p.get("pdf_url"))}" '
            f'type="application/pdf">{gettext("PDF")}</a> · <a href="'
            f'{show(reverse_cached("website:release_list"))}?ministry={show(release.ministry.slug)}">'
            f'{gettext("More from")} <span lang="{show(ministry_lang)}">{show(ministry)}</span></a> · ')
    return mark_safe("".join(out))  # noqa: S308 - every value shown through render_value_in_context


_no_photos: dict[tuple, str] = {}
_PDF_MARK = "\ue012pdf\ue012"  # a private-use character: in no URL, kept by escaping


@register.simple_tag(takes_context=True)
def release_media(context, part):
    """website/_release_media.html for `part` ("lead", "rest"), or _release_media_head.html
    for "head": rendered with the page's context where the version has photos or documents;
    for the many that have neither, what the template gives then (newlines, the PDF link),
    worked out once with a marker where the PDF's link goes."""
    name = "website/_release_media_head.html" if part == "head" else "website/_release_media.html"
    if context.get("photos") or context.get("attachments"):
        with context.push(part=part):
            return context.template.engine.get_template(name).render(context)
    pdf_url = context.get("pdf_url")
    key = (part, bool(pdf_url))
    html = _no_photos.get(key)
    if html is None:
        html = _no_photos[key] = render_to_string(name, {
            "part": part, "photos": [], "attachments": [], "pdf_url": _PDF_MARK if pdf_url else ""})
    return mark_safe(html.replace(_PDF_MARK, render_value_in_context(pdf_url, context)) if pdf_url  # noqa: S308
                     else html)  # the template's, the link shown as the template shows it
