"""POST /api/v1/verify: is this text, file or link a release Pressroom published?"""

from __future__ import annotations

from ninja import Router, Schema, Status

from . import ratelimit, verifier

router = Router(tags=["verify"])


class Difference(Schema):
    kind: str
    genuine: str
    submitted: str
    at_word: int


class VerdictOut(Schema):
    verdict: str
    release_id: int | None
    language: str | None
    revision: int | None
    url: str | None
    title: str | None
    differences: list[Difference]
    explanation: str


class VerifyError(Schema):
    detail: str


REQUEST_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "properties": {
        "text": {"type": "string", "description": "The text to check (up to 1 MB)"},
        "url": {"type": "string", "description": "A link to this site or to PIB (never fetched)"}}}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary", "description": "A .txt or .json file"}}}},
    "text/plain": {"schema": {"type": "string"}},
}}}


@router.post("", response={200: VerdictOut, 400: VerifyError, 413: VerifyError, 429: VerifyError},
             url_name="verify", summary="Check a text, file or link against what Pressroom published",
             openapi_extra=REQUEST_BODY)
def verify(request):
    """`verdict` is `genuine` (the text, or part of it, word for word as published: chat
    forwarding marks, line breaks, quotes and emoji do not count), `altered` (resembles a
    release but words differ; see `differences`), `outdated` (an earlier revision of a
    corrected release), `withdrawn`, or `unknown` (nothing published matches)."""
    limited = ratelimit.hit(request)
    if limited:
        return Status(429, {"detail": limited})
    try:
        return Status(200, verifier.verify(verifier.read_api(request), request))
    except verifier.BadInput as e:
        return Status(e.status, {"detail": str(e)})
