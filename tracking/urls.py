from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("timer/tasks/", views.task_options, name="timer-tasks"),
    path("timer/start/", views.timer_start, name="timer-start"),
    path("timer/stop/", views.timer_stop, name="timer-stop"),
    path("time/manual/", views.manual_entry, name="manual-entry"),
    path("time/<uuid:code>/edit/", views.edit_entry, name="edit-entry"),
    path("time/<uuid:code>/delete/", views.delete_entry, name="delete-entry"),
    path("time/<uuid:code>/restore/", views.restore_entry, name="restore-entry"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<uuid:code>/revoke/", views.revoke_api_token, name="revoke-api-token"),
]
