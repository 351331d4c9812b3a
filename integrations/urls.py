from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("company/", views.company_list, name="company-list"),
    # A token of someone else's account waits here for confirmation (its code is in the session).
    path("company/confirm-token/", views.company_confirm, name="company-confirm"),
    path("company/confirm-token/link/", views.company_confirm_link, name="company-confirm-link"),
    path("company/confirm-token/cancel/", views.company_confirm_cancel, name="company-confirm-cancel"),
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
    path("mine/confirm-token/", views.mine_confirm, name="mine-confirm"),
    path("mine/confirm-token/link/", views.mine_confirm_link, name="mine-confirm-link"),
    path("mine/confirm-token/cancel/", views.mine_confirm_cancel, name="mine-confirm-cancel"),
    path("mine/<slug:provider_id>/token/", views.mine_token, name="mine-token"),
    path("mine/<slug:provider_id>/switch/", views.mine_switch, name="mine-switch"),
    path("mine/<slug:provider_id>/remove-token/", views.mine_remove_token, name="mine-remove-token"),
]
