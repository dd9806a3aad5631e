"""Body HTML: made from plain paragraphs, or sanitised when it comes as HTML. Pure functions."""

import html
import re

import nh3

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


def sanitise_html(fragment: str) -> str:
    """Keep structure and links; drop scripts, styles, event handlers, javascript: URLs."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


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
