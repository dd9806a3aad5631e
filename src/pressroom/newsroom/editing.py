"""What comes out of the body editor, made into the record's sanitised HTML. Pure functions.

The toolbar editor sends HTML; a plain textarea (no JavaScript) sends text or HTML typed by
hand; a paste from a word processor brings Word's markup. All end up as sanitised HTML
with paragraphs, lists, tables, links and emphasis kept and the rest dropped.
"""

import html
import re

from pressroom.releases.html import sanitise_html

_LOOKS_LIKE_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9:]*|/[a-zA-Z]|!--)")
# Word's own markup: XML islands, office namespaces, conditional blocks.
_WORD_JUNK = re.compile(
    r"<xml\b.*?</xml\s*>|<!\[if [^\]]*\]>.*?<!\[endif\]>|</?[ovwm]:[^>]*>",
    re.IGNORECASE | re.DOTALL)
# Spans from a word processor carry only its language tags and styling: drop them whole
# (removing only bare ones left a closing tag without its opening one).
_SPAN = re.compile(r"</?span\b[^>]*>")
_EMPTY_P = re.compile(r"<p>(?:\s|&nbsp;|\xa0|<br>)*</p>")
_NBSP_RUN = re.compile(r"(?:&nbsp;|\xa0)(?:\s|&nbsp;|\xa0)+")
# Padding at the start or end of a paragraph, list item or cell (not between inline tags).
_PAD_AFTER_OPEN = re.compile(r"(<(?:p|li|td|th)\b[^>]*>)(?:\s|&nbsp;|\xa0)+")
_PAD_BEFORE_CLOSE = re.compile(r"(?:\s|&nbsp;|\xa0)+(</(?:p|li|td|th)>)")
_BULLET = re.compile(r"^\s*(?:[-*•·▪]|\u2022)\s+")
_NUMBER = re.compile(r"^\s*\(?\d{1,3}[.)]\s+")


def text_to_html(text: str) -> str:
    """Typed text: one paragraph per line; lines starting '- ' or '1. ' make lists."""
    out, list_tag = [], None
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        tag, body = None, line
        if _BULLET.match(line):
            tag, body = "ul", _BULLET.sub("", line)
        elif _NUMBER.match(line):
            tag, body = "ol", _NUMBER.sub("", line)
        if tag != list_tag:
            if list_tag:
                out.append(f"</{list_tag}>")
            if tag:
                out.append(f"<{tag}>")
            list_tag = tag
        body = html.escape(" ".join(body.split()), quote=False)
        out.append(f"<li>{body}</li>" if tag else f"<p>{body}</p>")
    if list_tag:
        out.append(f"</{list_tag}>")
    return "\n".join(out)


def clean_body(raw: str) -> str:
    """Sanitised body HTML from whatever the editor sent."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if not _LOOKS_LIKE_HTML.search(raw):
        return sanitise_html(text_to_html(raw))
    cleaned = sanitise_html(_WORD_JUNK.sub("", raw))
    cleaned = _EMPTY_P.sub("", _SPAN.sub("", cleaned))
    # Word and spreadsheets pad with non-breaking spaces: runs of them are just spaces
    # (a lone one between two words, as in "Rs.&nbsp;5", is kept).
    cleaned = _NBSP_RUN.sub(" ", cleaned)
    cleaned = _PAD_BEFORE_CLOSE.sub(r"\1", _PAD_AFTER_OPEN.sub(r"\1", cleaned))
    cleaned = _EMPTY_P.sub("", cleaned)
    return cleaned.strip()
