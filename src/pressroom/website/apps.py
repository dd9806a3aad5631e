from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "pressroom.website"
    verbose_name = "Public website"
