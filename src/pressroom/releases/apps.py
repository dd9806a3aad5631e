from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "pressroom.releases"
    verbose_name = "Releases (the public record)"
