"""Is this text (or link) a release Pressroom published? genuine, altered, outdated,
withdrawn or unknown, naming the release, with a word-level diff when it was altered.

The steps: read the input (text, an uploaded .txt/.json, or a link to this site or to PIB,
never fetched); find the versions that share sampled shingles with it (neardup) and any the
text claims by Release ID; compare its words with each of their revisions (textmatch); the
best match decides the verdict.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _

from pressroom.releases.models import LanguageVersion, Release, Revision
from pressroom.releases.pibtext import IST, format_posted_on

from . import neardup
from .textmatch import claimed_ids, compare, shingles, tokens

MAX_BYTES = 1_000_000
MIN_WORDS = 5  # fewer words than this cannot be told apart from any other text
MIN_GENUINE = 6  # words that must match for a part to be called the release's
ALTERED_COVERAGE = 0.4
CANDIDATES = 8
PIB_HOSTS = ("pib.gov.in", "pib.nic.in")


class BadInput(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Query:
    text: str | None = None
    url: str | None = None


# --- Reading the input -----------------------------------------------------------------------


def decode(data: bytes, charset: str | None = None) -> str:
    """Bytes in any common encoding as text; binary data is refused, not guessed at."""
    if len(data) > MAX_BYTES:
        raise BadInput(_("That is more than 1 MB. Paste the release's text only."), 413)
    if not data.strip():
        raise BadInput(_("Nothing to check: the text is empty."))
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _text_only(data.decode(codec))
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        raise BadInput(_("This looks like binary data, not text. Paste the text of the release, "
                         "or upload it as a .txt or .json file."))
    for codec in ("utf-8", charset):
        if codec:
            try:
                return _text_only(data.decode(codec))
            except (UnicodeDecodeError, LookupError):
                pass
    # Not UTF-8: Windows-1252 decodes any byte; what it makes of real text is mostly letters.
    return _text_only(data.decode("cp1252", errors="replace"))


def _text_only(text: str) -> str:
    controls = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r") or c == "\ufffd")
    if controls > max(3, len(text) // 100):
        raise BadInput(_("This looks like binary data, not text. Paste the text of the release, "
                         "or upload it as a .txt or .json file."))
    if not text.strip():
        raise BadInput(_("Nothing to check: the text is empty."))
    return text


def _release_json_text(doc) -> str | None:
    """The text of a Pressroom release JSON (the .json download or a JSONL line), or None."""
    if isinstance(doc, dict) and isinstance(doc.get("versions"), list) and doc["versions"]:
        doc = doc["versions"][0]
    if isinstance(doc, dict) and isinstance(doc.get("title"), str) and "body_text" in doc:
        parts = [doc.get("ministry") or "", doc["title"], *(doc.get("subtitles") or []),
                 str(doc.get("body_text") or ""), str(doc.get("sign_off") or "")]
        return "\n".join(p for p in parts if isinstance(p, str))
    return None


def from_json(data: bytes) -> Query:
    try:
        doc = json.loads(decode(data))
    except ValueError:
        raise BadInput(_('That is not valid JSON. Send {"text": "..."} or {"url": "..."}.')) from None
    if isinstance(doc, dict) and ("text" in doc or "url" in doc):
        text, url = doc.get("text"), doc.get("url")
        if text is not None and not isinstance(text, str) or url is not None and not isinstance(url, str):
            raise BadInput(_('"text" and "url" must be strings.'))
        if not (text or "").strip() and not (url or "").strip():
            raise BadInput(_("Nothing to check: the text is empty."))
        if text and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise BadInput(_("That is more than 1 MB. Paste the release's text only."), 413)
        return Query(text=text if (text or "").strip() else None, url=(url or "").strip() or None)
    text = _release_json_text(doc)
    if text is None:
        raise BadInput(_('Send {"text": "..."} or {"url": "..."}, or a release\'s .json file.'))
    return Query(text=text)


def from_upload(upload) -> Query:
    name = (upload.name or "").lower()
    if upload.size > MAX_BYTES:
        raise BadInput(_("That is more than 1 MB. Paste the release's text only."), 413)
    if not name.endswith((".txt", ".json", ".jsonl")):
        raise BadInput(_("Upload a .txt or .json file."))
    data = upload.read(MAX_BYTES + 1)
    if name.endswith((".json", ".jsonl")):
        first = data.split(b"\n", 1)[0] if name.endswith(".jsonl") else data
        return from_json(first)
    return Query(text=decode(data))


def _body(request) -> bytes:
    try:
        return request.body
    except RequestDataTooBig:
        raise BadInput(_("That is more than 1 MB. Paste the release's text only."), 413) from None


def read_api(request) -> Query:
    """POST /api/v1/verify: JSON {"text"} or {"url"}, a multipart upload ("file"), or the
    text itself as the body."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > MAX_BYTES + 10_000:
        raise BadInput(_("That is more than 1 MB. Paste the release's text only."), 413)
    ctype = (request.content_type or "").lower()
    if ctype.startswith("multipart/form-data"):
        try:
            upload = request.FILES.get("file")
        except RequestDataTooBig:
            raise BadInput(_("That is more than 1 MB. Paste the release's text only."), 413) from None
        if upload is not None:
            return from_upload(upload)
        return Query(text=request.POST.get("text") or None, url=request.POST.get("url") or None) \
            if (request.POST.get("text") or "").strip() or (request.POST.get("url") or "").strip() \
            else _empty()
    if ctype.startswith("application/x-www-form-urlencoded"):
        return read_form(request)
    data = _body(request)
    if ctype.endswith("json") or data.lstrip()[:1] in (b"{", b"["):
        return from_json(data)
    return Query(text=decode(data, request.encoding))


def read_form(request) -> Query:
    """The /verify/ page's form: text, url, or a file."""
    try:
        upload = request.FILES.get("file")
        text, url = request.POST.get("text", ""), request.POST.get("url", "")
    except RequestDataTooBig:
        raise BadInput(_("That is more than 1 MB. Paste the release's text only."), 413) from None
    if upload is not None:
        return from_upload(upload)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise BadInput(_("That is more than 1 MB. Paste the release's text only."), 413)
    if "\x00" in text:
        raise BadInput(_("This looks like binary data, not text. Paste the text of the release, "
                         "or upload it as a .txt or .json file."))
    if not text.strip() and not url.strip():
        return _empty()
    return Query(text=text if text.strip() else None, url=url.strip() or None)


def _empty():
    raise BadInput(_("Nothing to check: paste the text, give a link, or upload a file."))


# --- Links ------------------------------------------------------------------------------------

OUR_PATH = re.compile(r"^/release/(\d{1,12})(?:/([a-z]{2,3})/?|/?|\.txt|\.json)$")


def _ours(host: str, request) -> bool:
    if not host:
        return True
    allowed = {h.lower().lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"}
    return host in allowed or (request is not None and host == request.get_host().split(":")[0].lower())


def resolve_url(url: str, request) -> tuple[int | None, str | None]:
    """(Release ID or PIB ID, language) named by a link to this site or to PIB. Raises
    BadInput for any other site: links are read, never opened."""
    parts = urlsplit(url if "//" in url or url.startswith("/") else f"https://{url}")
    if parts.scheme not in ("http", "https", ""):
        raise BadInput(_("Give a web link (https://...) to this site or to PIB."))
    host = (parts.hostname or "").lower()
    if host.endswith(PIB_HOSTS) and (host in PIB_HOSTS or host.endswith(tuple("." + h for h in PIB_HOSTS))):
        params = {k.lower(): v for k, v in parse_qs(parts.query).items()}
        raw = next((params[k][0] for k in ("prid", "relid", "id") if k in params), "")
        if not re.fullmatch(r"\d{1,12}", raw.strip()):
            raise BadInput(_("That PIB link does not name a release (no PRID in it)."))
        return int(raw), None
    if _ours(host, request):
        m = OUR_PATH.match(parts.path)
        if m:
            return int(m[1]), m[2]
        raise BadInput(_("That link is not to a release on this site."))
    raise BadInput(_("Only links to this site or to PIB (pib.gov.in) can be checked, and we never "
                     "open other sites' links. Copy the text of the message and paste it instead."))


# --- Verdicts ---------------------------------------------------------------------------------


def _find_version(number: int, lang: str | None = None):
    v = LanguageVersion.objects.filter(pib_id=number).select_related("release", "language").first()
    if v is not None and lang is None:
        return v
    qs = LanguageVersion.objects.filter(release_id=number).select_related("release", "language")
    return (qs.filter(language_id=lang) if lang else qs.filter(is_original=True)).first()


def _answer(request, verdict: str, version=None, revision=None, differences=(), explanation=""):
    return {
        "verdict": verdict,
        "release_id": version.release_id if version else None,
        "language": version.language_id if version else None,
        "revision": revision if version else None,
        "url": request.build_absolute_uri(version.get_absolute_url()) if version and request else
        (version.get_absolute_url() if version else None),
        "title": version.title if version and version.release.status != Release.Status.REMOVED else None,
        "differences": list(differences),
        "explanation": explanation,
    }


def verify_url(url: str, request) -> dict:
    number, lang = resolve_url(url, request)
    v = _find_version(number, lang)
    if v is None:
        return _answer(request, "unknown", explanation=_(
            "Pressroom has published no release with the ID in that link (%(id)s).") % {"id": number})
    return _status_answer(request, v, v.revision, _(
        "That link is to release %(id)s (%(lang)s), as Pressroom publishes it.") % {
        "id": v.release_id, "lang": v.language.name})


def _status_answer(request, v, revision, genuine_text):
    status = v.release.status
    if status == Release.Status.WITHDRAWN:
        note = f" {v.release.status_note}" if v.release.status_note else ""
        return _answer(request, "withdrawn", v, revision, explanation=_(
            "This is release %(id)s, which has been withdrawn.") % {"id": v.release_id} + note)
    if status == Release.Status.REMOVED:
        return _answer(request, "withdrawn", v, revision, explanation=_(
            "Release %(id)s was published and has since been removed.") % {"id": v.release_id})
    return _answer(request, "genuine", v, revision, explanation=genuine_text)


@dataclass
class Reference:
    version: LanguageVersion
    revision: int
    current: bool
    words: list


def reference_words(release_fields: dict, content: dict, original: bool, release_id: int) -> list:
    """A revision's words as PIB lays it out (without the visitor counter), the way it is
    copied; header and trailer words are marked optional (a copy may leave them out)."""
    head = []
    if original:
        head = [release_fields["ministry"]]
    out = [t for part in head for t in tokens(part, optional=True)]
    out += tokens(content.get("title", ""))
    out += tokens(content.get("subtitles", ""), optional=True)
    if original:
        out += tokens(f"Posted On: {release_fields['posted_on']} by {release_fields['bureau']}",
                      optional=True)
    out += tokens(content.get("body_text", ""))
    out += tokens(content.get("sign_off", ""), optional=True)
    out += tokens(f"(Release ID: {content.get('pib_id') or release_id}) Visitor Counter :", optional=True)
    return out


def references(version_ids) -> list[Reference]:
    versions = (LanguageVersion.objects.filter(pk__in=version_ids)
                .select_related("release__ministry", "release__bureau", "language"))
    out = []
    old = {}
    for r in Revision.objects.filter(version_id__in=version_ids).order_by("-number")[:200]:
        old.setdefault(r.version_id, []).append(r)
    for v in versions:
        rel = v.release
        fields = {"ministry": rel.ministry.name, "bureau": rel.bureau.name,
                  "posted_on": format_posted_on(rel.posted_at)}
        out.append(Reference(v, v.revision, True, reference_words(
            fields, v.content(), v.is_original, rel.release_id)))
        for r in old.get(v.pk, []):
            rf = dict(fields)
            if r.release_fields.get("posted_at"):
                from datetime import datetime

                rf = {"ministry": r.release_fields.get("ministry") or fields["ministry"],
                      "bureau": r.release_fields.get("bureau") or fields["bureau"],
                      "posted_on": format_posted_on(datetime.fromisoformat(
                          r.release_fields["posted_at"]).astimezone(IST))}
            out.append(Reference(v, r.number, False, reference_words(
                rf, r.content, v.is_original, rel.release_id)))
    return out


def verify_text(text: str, request) -> dict:
    pasted = tokens(text)
    if len(pasted) < MIN_WORDS:
        raise BadInput(_("Too short to check: paste at least a whole sentence of the release."))
    hashes = shingles([t.norm for t in pasted])  # the same words norm_words gives
    found = neardup.candidates(hashes, CANDIDATES)
    # Versions sharing far fewer shingles than the best one share common phrases, not text:
    # comparing word by word (the costly step) is left to the few that can be the source.
    top = found[0][1] if found else 0
    ids = [vid for vid, n in found if n >= max(1, top // 4)][:4]
    claims = claimed_ids(text)
    claimed_versions = {}
    for number in claims[:3]:
        v = _find_version(number)
        claimed_versions[number] = v
        if v is not None:
            ids.append(v.pk)
    best = runner_up = None
    refs = references(list(dict.fromkeys(ids)))
    order = {vid: n for n, vid in enumerate(dict.fromkeys(ids))}
    refs.sort(key=lambda r: (order[r.version.pk], not r.current))
    for ref in refs:
        if best is not None and best[0][0] and order[ref.version.pk] > order[best[1].version.pk] + 1:
            break  # an exact match, its other revisions and the next version (a twin?) compared
        c = compare(ref.words, pasted)
        runs = c.runs
        key = (c.exact and c.matched >= MIN_GENUINE, runs, -len(c.differences), ref.current)
        if best is None or key > best[0]:
            if best is not None and best[1].version.release_id != ref.version.release_id:
                runner_up = best
            best = (key, ref, c, runs)
        elif ref.version.release_id != best[1].version.release_id and (
                runner_up is None or key > runner_up[0]):
            runner_up = (key, ref, c, runs)
    if best is None or best[3] < MIN_GENUINE or best[3] < ALTERED_COVERAGE * best[2].length:
        return _unknown(request, claims, claimed_versions)
    _key, ref, c, runs = best
    v = ref.version
    if c.exact and c.matched >= MIN_GENUINE:
        part = c.matched < len([t for t in ref.words])
        if not ref.current:
            return _answer(request, "outdated", v, ref.revision, explanation=_(
                "This is the text of revision %(rev)s of release %(id)s, which has since been "
                "corrected (it is now at revision %(now)s). Read the current text at the link.") % {
                "rev": ref.revision, "id": v.release_id, "now": v.revision})
        also = ""
        if runner_up is not None and runner_up[0][0] and runner_up[1].current:
            also = " " + _("The same text was also published as release %(id)s.") % {
                "id": runner_up[1].version.release_id}
        return _status_answer(request, v, ref.revision, (_(
            "This is part of the text of release %(id)s (%(lang)s, revision %(rev)s), word for "
            "word as Pressroom published it.") if part else _(
            "This is the text of release %(id)s (%(lang)s, revision %(rev)s), word for word as "
            "Pressroom published it.")) % {"id": v.release_id, "lang": v.language.name,
                                           "rev": ref.revision} + also)
    status_note = ""
    if runner_up is not None and runner_up[3] >= 2 * MIN_GENUINE and runner_up[3] + runs > c.length * 0.8:
        status_note = " " + _("Parts of it are from another release, %(id)s: pieces of "
                              "different releases put together.") % {"id": runner_up[1].version.release_id}
    if v.release.status != Release.Status.PUBLISHED:
        status_note += " " + _("That release has since been withdrawn.")
    return _answer(request, "altered", v, ref.revision, differences=c.differences[:50], explanation=_(
        "This resembles release %(id)s (%(lang)s) but is not what Pressroom published: "
        "%(n)s difference(s) in the words, shown below. A changed figure, name or sentence "
        "means this is not the release.") % {"id": v.release_id, "lang": v.language.name,
                                              "n": len(c.differences)} + status_note)


def _unknown(request, claims, claimed_versions) -> dict:
    text = _("Nothing Pressroom published matches this text.")
    for number in claims[:1]:
        v = claimed_versions.get(number)
        if v is None:
            text += " " + _("It names Release ID %(id)s, but Pressroom has no release with that ID.") % {
                "id": number}
        else:
            text += " " + _("It names Release ID %(id)s, but that release says something else: this "
                            "text is not it.") % {"id": number}
    return _answer(request, "unknown", explanation=text)


def verify(query: Query, request=None) -> dict:
    if query.text:
        return verify_text(query.text, request)
    if query.url:
        return verify_url(query.url, request)
    raise BadInput(_("Nothing to check: paste the text, give a link, or upload a file."))
