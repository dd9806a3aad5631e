from django.apps import AppConfig


class CountersConfig(AppConfig):
    name = "pressroom.counters"
    verbose_name = "Visitor counters"

    def ready(self):
        from pressroom import health

        from .buffer import health_check

        health.register("counters", health_check)
