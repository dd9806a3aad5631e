from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "pressroom.newsroom"
    verbose_name = "Newsroom (drafts and publishing)"
