from django.urls import path

from . import media_views, views

app_name = "newsroom"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_log, name="audit"),
    path("drafts/new/", views.draft_new, name="draft_new"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft"),
    path("drafts/<int:pk>/edit/", views.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/preview/", views.draft_preview, name="draft_preview"),
    path("drafts/<int:pk>/correct/", views.draft_correct, name="draft_correct"),
    path("drafts/<int:pk>/correction/<slug:action>/", views.correction_decision,
         name="correction_decision"),
    path("drafts/<int:pk>/translate/", views.draft_translate, name="draft_translate"),
    path("drafts/<int:pk>/previews/", views.preview_grant, name="preview_grant"),
    path("drafts/<int:pk>/previews/<int:grant_id>/revoke/", views.preview_revoke,
         name="preview_revoke"),
    path("drafts/<int:pk>/media/", media_views.draft_media, name="draft_media"),
    path("drafts/<int:pk>/media/original/<str:sha256>/", media_views.original_file,
         name="media_original"),
    path("drafts/<int:pk>/<slug:action>/", views.draft_action, name="draft_action"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/<slug:action>/", views.task_action, name="task_action"),
    path("releases/open/", views.release_open, name="release_open"),
    path("embargo/<str:token>/", views.embargo_preview, name="embargo_preview"),
]
