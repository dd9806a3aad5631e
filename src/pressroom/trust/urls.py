from django.urls import path, re_path

from . import views

app_name = "trust"

urlpatterns = [
    path(".well-known/pressroom-keys.json", views.key_set, name="keys"),
    path("log/checkpoint", views.checkpoint, name="checkpoint"),
    path("log/consistency", views.consistency, name="consistency"),
    path("log/entries", views.entries, name="entries"),
    path("release/<int:release_id>/proof.json", views.proof, name="proof"),
    re_path(r"^release/(?P<release_id>\d+)/(?P<lang>[a-z]{2,3})/proof\.json$", views.proof,
            name="proof_version"),
    path("release/<int:release_id>/qr.svg", views.qr_code, name="qr"),
    re_path(r"^release/(?P<release_id>\d+)/(?P<lang>[a-z]{2,3})/qr\.svg$", views.qr_code,
            name="qr_version"),
    path("release/<int:release_id>.txt.sig", views.text_signature, name="text_signature"),
    path("release/<int:release_id>.json.sig", views.json_signature, name="json_signature"),
    path("verify/", views.verify_page, name="verify"),
    path("verify/verify_release.py", views.offline_script, name="offline_script"),
]
