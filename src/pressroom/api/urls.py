"""/api/v1/: the NinjaAPI of api.py, with routers other apps add.

Another app's endpoints mount with one line before `urlpatterns`, e.g.
    api.add_router("/search", search_router)   # from pressroom.search.api import router
"""

from django.urls import path

from pressroom.search.api import router as search_router
from pressroom.trust.api import router as verify_router

from .api import api

api.add_router("/search", search_router)
api.add_router("/verify", verify_router)

urlpatterns = [path("", api.urls)]
