from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "pressroom.search"
    verbose_name = "Search"

    def ready(self):
        from . import signals  # noqa: F401 - connects the index to the record
