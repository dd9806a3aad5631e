from django.apps import AppConfig


class CountersConfig(AppConfig):
    name = "pressroom.counters"
    verbose_name = "Visitor counters"
