"""Open data manners for /api/ and /feeds/: any origin may GET, and shared caches may keep answers."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

PUBLIC_PREFIXES = ("/api/", "/feeds/")
API_MAX_AGE = 60


class PublicReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if request.method == "OPTIONS":  # a CORS preflight: only reading is allowed
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", "")[:500] or "Accept"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method == "HEAD" and request.path.startswith("/api/"):
            response = head_as_get(self.get_response, request)
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Content-Disposition"
        if (request.method in ("GET", "HEAD") and response.status_code == 200
                and not response.has_header("Cache-Control") and request.path.startswith("/api/")):
            patch_cache_control(response, public=True, max_age=API_MAX_AGE)
        return response


def head_as_get(get_response, request):
    """HEAD is GET without the body (RFC 9110); django-ninja routes GET only, so the API
    answered 405 to the HEAD its CORS headers advertise. The headers (ETag, Content-Length,
    Last-Modified) are the GET's; the body is dropped here as well as by the server."""
    request.method = "GET"
    try:
        response = get_response(request)
    finally:
        request.method = "HEAD"
    if response.streaming:
        response.close()  # nothing of the stream is read
        response.streaming_content = []
    else:
        length = len(response.content)
        response.content = b""
        response["Content-Length"] = str(length)
    return response
