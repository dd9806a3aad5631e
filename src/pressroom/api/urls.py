"""/api/v1/: the JSON API (django-ninja), with its OpenAPI schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

from pressroom.search.api import router as search_router

app_name = "api"

api = NinjaAPI(title="Pressroom API", version="1", urls_namespace="api")
api.add_router("/search", search_router)

# The project's urls.py includes this module under the "api" namespace already.
urlpatterns = api.urls[0]
