"""/api/v1/: the NinjaAPI of api.py, with routers other apps add.

Another app's endpoints mount with one line before `urlpatterns`, e.g.
    api.add_router("/search", search_router)   # from pressroom.search.api import router
"""

from django.urls import path

from .api import api

urlpatterns = [path("", api.urls)]
