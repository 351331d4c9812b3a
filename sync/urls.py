from django.urls import path

from . import views

app_name = "sync"

# Under /integrations/, where people and providers have always found them.
urlpatterns = [
    path("mine/<slug:provider_id>/sync/", views.sync_now, name="sync-now"),
    path("mine/<slug:provider_id>/sync-status/", views.sync_status, name="sync-status"),
    path("webhooks/<slug:provider_id>/<str:secret>/", views.webhook, name="webhook"),
]
