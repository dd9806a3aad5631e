"""ASGI entry point (for ASGI servers; `pressroom serve` uses WSGI, see its docstring)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
application = get_asgi_application()
