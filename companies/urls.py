from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("members/", views.members, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path("members/<uuid:code>/role/", views.change_role, name="change-role"),
    path("members/<uuid:code>/managers/", views.set_managers, name="set-managers"),
    path("members/<uuid:code>/deactivate/", views.deactivate, name="deactivate"),
    path("members/<uuid:code>/reactivate/", views.reactivate, name="reactivate"),
    path("invitations/<uuid:code>/revoke/", views.revoke_invitation, name="revoke-invitation"),
    path("company/settings/", views.company_settings, name="settings"),
    path("company/logo/", views.company_logo, name="logo"),
    path("company/audit-log/", views.audit_log, name="audit-log"),
    path("company/switch/<uuid:code>/", views.switch_company, name="switch"),
    path("preferences/", views.preferences, name="preferences"),
]
