from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("company/", views.company_list, name="company-list"),
    path("company/<slug:provider_id>/", views.company_detail, name="company-detail"),
    path("company/<slug:provider_id>/enable/", views.company_enable, name="company-enable"),
    path("company/<slug:provider_id>/enabled/", views.company_enabled, name="company-enabled"),
    path("company/<slug:provider_id>/token/", views.company_token, name="company-token"),
    path("company/<slug:provider_id>/disable/", views.company_disable, name="company-disable"),
    path("company/<slug:provider_id>/remove-token/", views.company_remove_token, name="company-remove-token"),
    path("company/<slug:provider_id>/scope/", views.company_scope, name="company-scope"),
    path("company/<slug:provider_id>/settings/", views.company_settings, name="company-settings"),
    path("company/<slug:provider_id>/webhook/rotate/", views.company_webhook_rotate, name="company-webhook-rotate"),
    path("company/<slug:provider_id>/webhook/secret/", views.company_webhook_secret, name="company-webhook-secret"),
    path("mine/", views.mine, name="mine"),
    path("mine/<slug:provider_id>/token/", views.mine_token, name="mine-token"),
    path("mine/<slug:provider_id>/switch/", views.mine_switch, name="mine-switch"),
    path("mine/<slug:provider_id>/remove-token/", views.mine_remove_token, name="mine-remove-token"),
]
