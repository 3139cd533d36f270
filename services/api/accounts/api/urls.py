from django.urls import path

from accounts.api import views

urlpatterns = [
    path("csrf/", views.CsrfView.as_view(), name="auth-csrf"),
    path("register/", views.RegisterView.as_view(), name="auth-register"),
    path("email/confirm/", views.ConfirmEmailView.as_view(), name="auth-email-confirm"),
    path("email/resend/", views.ResendConfirmationView.as_view(), name="auth-email-resend"),
    path("email/change/", views.EmailChangeView.as_view(), name="auth-email-change"),
    path("login/", views.LoginView.as_view(), name="auth-login"),
    path("login/mfa/", views.LoginMFAView.as_view(), name="auth-login-mfa"),
    path("login/code/", views.LoginCodeRequestView.as_view(), name="auth-login-code"),
    path("login/code/confirm/", views.LoginCodeView.as_view(), name="auth-login-code-confirm"),
    path("mfa/", views.MFAStatusView.as_view(), name="auth-mfa"),
    path("mfa/totp/", views.TOTPView.as_view(), name="auth-mfa-totp"),
    path("mfa/totp/setup/", views.TOTPSetupView.as_view(), name="auth-mfa-totp-setup"),
    path("mfa/totp/confirm/", views.TOTPConfirmView.as_view(), name="auth-mfa-totp-confirm"),
    path("mfa/recovery-codes/", views.RecoveryCodesView.as_view(), name="auth-mfa-recovery-codes"),
    path("reauthenticate/", views.ReauthenticateView.as_view(), name="auth-reauthenticate"),
    path("logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("logout-all/", views.LogoutAllView.as_view(), name="auth-logout-all"),
    path("token/refresh/", views.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("sessions/", views.SessionListView.as_view(), name="auth-sessions"),
    path("sessions/<uuid:public_id>/", views.SessionDetailView.as_view(), name="auth-session-detail"),
    path("me/", views.MeView.as_view(), name="auth-me"),
    path("password/change/", views.PasswordChangeView.as_view(), name="auth-password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="auth-password-reset"),
    path("password/reset/verify/", views.PasswordResetVerifyView.as_view(), name="auth-password-reset-verify"),
    path("password/reset/confirm/", views.PasswordResetConfirmView.as_view(), name="auth-password-reset-confirm"),
]
