from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("one-click/<str:token>/", views.one_click, name="one_click"),
    path("outbox-demo/", views.outbox_demo, name="outbox_demo"),
    path("websub/hub", views.websub_hub, name="websub_hub"),
    path("webhooks/", views.webhooks, name="webhooks"),
]
