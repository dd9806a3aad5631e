"""Security headers Django 5.2 does not set itself (the content security policy first), and
the structured request log."""

import atexit
import functools
import os
import sys
import threading
import time
from datetime import UTC, datetime
from json.encoder import encode_basestring as _encode_string
from types import SimpleNamespace

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import get_urlconf
from django.utils import translation
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.functional import SimpleLazyObject, empty

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' data: https:",
    "style-src 'self'",
    "script-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy",
                                    "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class RequestLogMiddleware:
    """One JSON line per request on standard output: time, method, path, query, status, ms,
    bytes, remote address, user agent.

    First in MIDDLEWARE so static files served by WhiteNoise are logged too. JSON, not a
    server's access-log format, so any server (gunicorn, runserver, tests) logs the same lines
    and quotes in paths cannot break a line. Written straight to stdout (what json.dumps
    would give, byte for byte): through `logging` a line cost more than a whole trivial
    request (bench/request_bench.py). Under `pressroom serve` lines are kept for up to
    REQUEST_LOG_FLUSH_SECONDS (default 1) and written together (`request_log`); elsewhere
    (a shell, runserver, tests) each is written at once unless that is set.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PRESSROOM["REQUEST_LOG"]
        request_log.every = settings.PRESSROOM["REQUEST_LOG_FLUSH_SECONDS"] or 0

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        start = time.perf_counter()
        response = self.get_response(request)
        ms = round((time.perf_counter() - start) * 1000, 1)
        meta = request.META
        request_log.write(
            f'{{"time": "{_now()}", "method": {_str(request.method)}, '
            f'"path": {_str(request.path)}, "query": {_str(meta.get("QUERY_STRING", "")[:500])}, '
            f'"status": {response.status_code}, "ms": {ms!r}, '
            f'"bytes": {"null" if response.streaming else len(response.content)}, '
            f'"remote": {_str(meta.get("REMOTE_ADDR"))}, '
            f'"agent": {_str(meta.get("HTTP_USER_AGENT", "")[:200])}}}\n')
        return response


def _str(value) -> str:
    return "null" if value is None else _encode_string(value)


_second = [0, ""]  # the current second and its ISO text: one strftime a second, not a request


def _now() -> str:
    """datetime.now(UTC).isoformat(timespec="milliseconds"), cheaply."""
    now = time.time()
    second = int(now)
    cached = _second
    if cached[0] != second:
        cached = [second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")]
        _second[:] = cached
    return f"{cached[1]}.{int((now - second) * 1000):03d}+00:00"


class RequestLog:
    """Whole lines on stdout, each written in one piece, so workers sharing it never mix them.

    Lines wait up to ``every`` seconds (or until BUFFER_BYTES of them) and go out in one write,
    as nginx's `access_log ... buffer= flush=` does. A write and flush for each request was
    a tenth of a trivial request's CPU under gunicorn's threads (bench/request_bench.py).
    ``every`` = 0 writes each line at once. A worker that exits writes what it holds (atexit,
    and gunicorn's worker_exit); one killed with SIGKILL loses at most ``every`` seconds.
    """

    BUFFER_BYTES = 64 * 1024

    def __init__(self, every: float = 0):
        self.every = every
        self.lock = threading.Lock()
        self.pending: list[str] = []
        self.bytes = 0
        self.flusher_pid = None  # the process whose flusher thread runs (threads end at fork)

    def write(self, line: str) -> None:
        with self.lock:
            self.pending.append(line)
            self.bytes += len(line)
            if self.every > 0 and self.bytes < self.BUFFER_BYTES:
                if self.flusher_pid != os.getpid():
                    self._start_flusher()
                return
            self._write_pending()

    def flush(self) -> None:
        with self.lock:
            self._write_pending()

    def _write_pending(self) -> None:
        if self.pending:
            out = sys.stdout
            out.write("".join(self.pending))
            out.flush()
            self.pending.clear()
            self.bytes = 0

    def _start_flusher(self) -> None:
        self.flusher_pid = os.getpid()

        def loop():
            while True:
                time.sleep(self.every)
                try:
                    self.flush()
                except (OSError, ValueError):  # stdout gone (closed, a broken pipe): keep serving
                    pass

        threading.Thread(target=loop, name="request-log-flush", daemon=True).start()

    def _after_fork(self) -> None:
        self.lock = threading.Lock()
        self.pending.clear()  # the parent's lines are the parent's to write
        self.bytes = 0


request_log = RequestLog()
os.register_at_fork(after_in_child=request_log._after_fork)
atexit.register(request_log.flush)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, with three differences:

    - a response marked language-neutral (pressroom.utils) keeps no Vary: Accept-Language nor
      Content-Language: caches keep one copy of it, not one per browser language;
    - an HTML page (language-neutral or not) also varies on Cookie: pages are in the
      interface language the reader's cookie chose (or Accept-Language), so caches, the
      browser's included, must key them on both. A CDN should key on the `django_language`
      cookie alone (docs/deploy.md); readers without it share one copy;
    - with no language prefixes in the URLs (Pressroom has none), the language is Django's
      choice from the cookie and Accept-Language, kept per pair of them (a few kinds a day),
      and the path is not read for one. Django's own steps cost a tenth of a trivial
      request (bench/request_bench.py). With prefixes, it is Django's throughout.
    """

    def process_request(self, request):
        if is_language_prefix_patterns_used(getattr(request, "urlconf", get_urlconf()))[0]:
            return super().process_request(request)
        language = language_for(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
                                request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        html = response.get("Content-Type", "").startswith("text/html")
        if getattr(response, "language_neutral", False):
            if html:
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response
        if is_language_prefix_patterns_used(getattr(request, "urlconf", get_urlconf()))[0]:
            response = super().process_response(request, response)
            if html:
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response
        patch_vary_headers(response, ("Accept-Language", "Cookie") if html else ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


@functools.lru_cache(maxsize=512)
def language_for(cookie: str | None, accept_language: str) -> str:
    """Django's choice of interface language for a request with this language cookie and
    Accept-Language header (translation.get_language_from_request, the path not read)."""
    asking = SimpleNamespace(COOKIES={} if cookie is None else {settings.LANGUAGE_COOKIE_NAME: cookie},
                             META={"HTTP_ACCEPT_LANGUAGE": accept_language}, path_info="/")
    return translation.get_language_from_request(asking, check_path=False)


@receiver(setting_changed)
def _forget_language_choices(setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "LANGUAGE_COOKIE_NAME"):
        language_for.cache_clear()


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """Django's (an ETag from the content where the response has none; 304 or 412 on a
    matching precondition), not parsing preconditions a request does not carry: nearly every
    request carries none, and Django's reading of the four headers and of Last-Modified came
    to a tenth of a trivial request."""

    def process_response(self, request, response):
        if request.method != "GET":
            return response
        meta = request.META
        if any(header in meta for header in PRECONDITIONS):
            return super().process_response(request, response)
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        return response


PRECONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
                 "HTTP_IF_UNMODIFIED_SINCE")


class ReaderSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, except that a request without a session cookie (a reader's:
    nearly every request) gets its session only if something touches it. Untouched, Django's
    would have made an empty session and then done nothing with it; touched (the newsroom's
    sign-in, `request.user` read by a template), it is Django's, Vary: Cookie included."""

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return super().__call__(request)
        request.session = session = SimpleLazyObject(lambda: self.SessionStore(None))
        response = self.get_response(request)
        if session._wrapped is not empty:
            response = self.process_response(request, response)
        return response


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware with the message storage made when first used: making it
    (a cookie signer, two backends) cost more than the rest of a trivial request's Django. An
    untouched storage stores nothing, so the answer is the same."""

    def __call__(self, request):
        request._messages = messages = SimpleLazyObject(lambda: default_storage(request))
        response = self.get_response(request)
        if messages._wrapped is not empty:
            response = self.process_response(request, response)
        return response
