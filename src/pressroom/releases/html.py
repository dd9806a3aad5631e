"""Body HTML: made from plain paragraphs, or sanitised when it comes as HTML. Pure functions."""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.conf import settings

# What a press release body may hold: paragraphs, lists, tables, links, images, emphasis.
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "sub", "sup", "blockquote", "h2", "h3", "h4",
    "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "a", "img", "figure", "figcaption", "span", "div", "hr", "pre", "code",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "*": {"lang", "dir"},
}


def sanitise_html(fragment: str, media_url: str | None = None) -> str:
    """Keep structure and links; drop scripts, styles, event handlers, javascript: URLs,
    and images from other sites (a remote <img> is a tracking pixel: every reader's visit
    reported elsewhere). Images of this site's media stay: relative URLs, or under
    `media_url` (settings.MEDIA_URL when not given) if that is absolute, as on a CDN."""
    if media_url is None:
        media_url = getattr(settings, "MEDIA_URL", "") or ""

    def own_images_only(tag, attribute, value):
        if tag == "img" and attribute == "src" and not is_own_media(value, media_url):
            return None
        return value

    clean = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=own_images_only,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # An <img> whose src went (ours, or nh3's for a data: URL) shows nothing: drop it.
    return _without_sourceless_images(clean) if "<img" in clean else clean


def is_own_media(src: str, media_url: str = "") -> bool:
    """A relative URL (no scheme, no host: this site), or one under an absolute MEDIA_URL."""
    src = src.strip()
    if not src or "\\" in src or any(ord(c) < 33 for c in src):
        return False  # browsers read "/\\host" as "//host"; control characters hide schemes
    if media_url and "://" in media_url:
        return src.startswith(media_url)
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc


class _ImageCutter(HTMLParser):
    """Where the <img> tags without a src are, in HTML nh3 wrote (well-formed)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=False)
        self.spans, self._lines = [], text.splitlines(keepends=True)
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "img" and not dict(attrs).get("src"):
            line, col = self.getpos()
            start = sum(len(x) for x in self._lines[:line - 1]) + col
            self.spans.append((start, start + len(self.get_starttag_text())))

    handle_startendtag = handle_starttag


def _without_sourceless_images(clean: str) -> str:
    for start, end in reversed(_ImageCutter(clean).spans):
        clean = clean[:start] + clean[end:]
    return clean


def paragraphs_to_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in paragraphs)


_BLOCK_START = re.compile(r"<(p|div|li|h[1-6]|tr|blockquote|pre|ul|ol|table|figure)\b[^>]*>",
                          re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|tr|blockquote|pre|figcaption|caption)\s*>|<br\s*/?>",
                        re.IGNORECASE)
_CELL_END = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(fragment: str) -> str:
    """Plain text of body HTML, one paragraph (block, list item, table row) per line."""
    text = _CELL_END.sub("\t", fragment)
    text = _BLOCK_START.sub("\n", text)
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (" ".join(line.replace("\t", " ").split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


_DIV = re.compile(r"<(/?)div\b[^>]*>", re.IGNORECASE)
_FIRST_BLOCK = re.compile(r"<(p|h[1-6]|ul|ol|table|blockquote|pre|figure|hr)\b", re.IGNORECASE)


def editor_paragraphs(fragment: str) -> str:
    """A browser editor's HTML as paragraphs: Enter in a contenteditable makes <div>s and
    leaves the first line bare; a release body is made of <p>s."""
    fragment = _DIV.sub(lambda m: f"<{m.group(1)}p>", fragment.strip())
    first = _FIRST_BLOCK.search(fragment)
    head, rest = (fragment[:first.start()], fragment[first.start():]) if first else (fragment, "")
    if re.sub(r"<br\s*/?>", "", head).strip():
        head = f"<p>{head.strip()}</p>"
    return head + rest
