from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pressroom.api"
    verbose_name = "JSON API"
