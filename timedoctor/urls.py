from django.contrib.auth import views as auth_views
from django.urls import include, path

from companies import views as company_views
from companies.forms import EmailLoginForm

auth_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=EmailLoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", company_views.signup, name="signup"),
    path("signup/<str:token>/", company_views.signup_confirm, name="signup-confirm"),
    path("password-reset/", company_views.password_reset, name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("accounts/", include(auth_patterns)),
    path("invitations/<str:token>/", company_views.accept_invitation, name="accept-invitation"),
    path("", include("tracking.urls")),
    path("", include("companies.urls")),
    path("integrations/", include("integrations.urls")),
    path("integrations/", include("sync.urls")),
    path("reports/", include("tracking.report_urls")),
    path("api/v1/", include("tracking.api.urls")),
]
