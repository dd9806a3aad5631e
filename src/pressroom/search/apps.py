from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "pressroom.search"
    verbose_name = "Search"

    def ready(self):
        from pressroom import health

        from . import engine, signals  # noqa: F401 - signals connects the index to the record

        health.register("search", engine.health_check)
        from pressroom.releases import store

        store.PREPARERS["search"] = engine.index_text
