"""The reader's address: one function for everything that needs it (visitor counting,
sign-in throttling, the embargo-link opening log).

Without PRESSROOM_CLIENT_IP_HEADER the address is REMOTE_ADDR, the peer of the socket.
Behind the proxy docs/deploy.md prescribes (nginx with
``X-Forwarded-For $proxy_add_x_forwarded_for``) every request's REMOTE_ADDR is the proxy,
so the operator names the header (``X-Forwarded-For``) and the address is its right-most
entry: the one the proxy appended from the connection it accepted. Entries to its left came
from the client and are not believed (anyone can send ``X-Forwarded-For: 1.2.3.4``). With a
CDN in front, let the proxy rewrite its own view of the client first (nginx ``real_ip``), so
the right-most entry is still the reader.

django-ipware parses the header (IPv6, ports, brackets, junk values) — the same library
django-axes uses — and we only say which header and which hop.
"""

from __future__ import annotations

from django.conf import settings
from ipware import get_client_ip


def meta_key(header: str) -> str:
    """``X-Forwarded-For`` or ``HTTP_X_FORWARDED_FOR`` -> ``HTTP_X_FORWARDED_FOR``."""
    key = header.strip().upper().replace("-", "_")
    return key if key.startswith("HTTP_") or key == "REMOTE_ADDR" else "HTTP_" + key


def client_ip(request) -> str:
    """The reader's address as text ("" when there is none)."""
    header = settings.PRESSROOM.get("CLIENT_IP_HEADER", "")
    if header:
        # proxy_count=0: the right-most entry is the client (no trusted hop inside the header);
        # not strict, so a client's own entries to its left do not void the header.
        ip, _ = get_client_ip(request, proxy_order="left-most", proxy_count=0,
                              request_header_order=[meta_key(header)], strict=False)
        if ip:
            return ip
    return request.META.get("REMOTE_ADDR", "") or ""
