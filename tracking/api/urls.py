from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("tasks/", views.tasks, name="tasks"),
    path("timer/", views.timer, name="timer"),
    path("timer/start/", views.timer_start, name="timer-start"),
    path("timer/stop/", views.timer_stop, name="timer-stop"),
    path("time-entries/", views.entries, name="entries"),
    path("time-entries/batch/", views.upload, name="upload"),
    path("time-entries/<uuid:code>/", views.entry, name="entry"),
    path("time-entries/<uuid:code>/restore/", views.restore, name="entry-restore"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
