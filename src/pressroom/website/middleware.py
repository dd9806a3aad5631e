"""Security headers Django 5.2 does not set itself (the content security policy first), and
the structured request log."""

import json
import logging
import time
from datetime import UTC, datetime

from django.conf import settings

request_log = logging.getLogger("pressroom.request")

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
    """One JSON line per request: method, path, status, ms (logger `pressroom.request`).

    First in MIDDLEWARE so static files served by WhiteNoise are logged too. JSON, not a
    server's access-log format, so any server (gunicorn, runserver, tests) logs the same lines
    and quotes in paths cannot break a line.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PRESSROOM["REQUEST_LOG"]

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        start = time.perf_counter()
        response = self.get_response(request)
        request_log.info(json.dumps({
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": request.method,
            "path": request.path,
            "query": request.META.get("QUERY_STRING", "")[:500],
            "status": response.status_code,
            "ms": round((time.perf_counter() - start) * 1000, 1),
            "bytes": None if response.streaming else len(response.content),
            "remote": request.META.get("REMOTE_ADDR"),
            "agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        }, ensure_ascii=False))
        return response


class InterfaceLanguageVaryMiddleware:
    """Pages are in the interface language the reader's cookie chose (or Accept-Language):
    caches, the browser's included, must key them on both. A CDN should key on the
    `django_language` cookie alone (docs/deploy.md); readers without it share one copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import patch_vary_headers

        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
