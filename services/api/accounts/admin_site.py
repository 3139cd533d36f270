"""The Django admin's site (/admin/): superusers only, its login on the API's password-check budget.

The admin role is an API role (/api/admin/users/): it does not reach the Django admin, whose
change forms and password view would give it more than the admin API does (is_superuser,
is_staff, groups, anyone's password). Superusers are made with `manage.py createsuperuser`.

A superuser with a second factor also gives a current authenticator code: the password alone
never opens the admin of an account that the API would ask for more. (The admin's plain HTML
form has no WebAuthn ceremony: such an account needs an authenticator app to use /admin/.)
"""

import math

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import mfa_login, security_log, totp
from accounts.errors import PasswordLoginBlocked
from accounts.models import User
from accounts.sessions import client_ip
from accounts.throttling import account_ident, password_check_budget, second_factor_budget
from core.email_address import normalize_email
from core.errors import TooManyAttempts


def _throttled(exc: TooManyAttempts) -> forms.ValidationError:
    return forms.ValidationError(
        _("Too many attempts. Try again in %(wait)d seconds."),
        code="throttled",
        params={"wait": math.ceil(exc.wait or 0)},
    )


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """Each admin login spends from the same budget as an API login of that account and address."""

    otp_code = forms.CharField(
        label="Authentication code",
        required=False,
        max_length=6,
        strip=True,
        help_text="From your authenticator app, if your account has a second factor.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is not None and password:
            email = normalize_email(email)
            user = User.objects.filter(email=email).first()
            try:
                with password_check_budget(account_ident(user, email=email), client_ip(self.request)) as check:
                    self.user_cache = authenticate(self.request, username=email, password=password)
                    check.ok = self.user_cache is not None
            except TooManyAttempts as exc:
                raise _throttled(exc) from None
            if self.user_cache is None:
                # The same INSERT for a known and an unknown address (accounts/security_log.py).
                security_log.sign_in_failed(user, "password")
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
            if mfa_login.needs_second_factor(self.user_cache):
                self.check_second_factor(self.user_cache)
        return self.cleaned_data

    def check_second_factor(self, user):
        code = self.cleaned_data.get("otp_code") or ""
        try:
            # One transaction for the budget and the code: a wrong code's spent unit is committed
            # with it, a right one's given back (the ValidationError is raised after the block).
            with transaction.atomic(), second_factor_budget(user, client_ip(self.request)) as check:
                check.ok = len(code) == totp.DIGITS and code.isascii() and code.isdigit() and totp.use_code(user, code)
        except TooManyAttempts as exc:
            raise _throttled(exc) from None
        if not check.ok:
            self.user_cache = None
            security_log.sign_in_failed(user, "totp")
            raise forms.ValidationError(_("Enter the current code from your authenticator app."), code="invalid_code")

    def confirm_login_allowed(self, user):
        # Only superusers get a Django admin session; anyone else is told what a wrong password is.
        if not (user.is_active and user.is_superuser):
            raise self.get_invalid_login_error()
        if user.password_login_blocked_at is not None:  # "this wasn't me" (accounts/sign_in_alerts.py)
            raise forms.ValidationError(PasswordLoginBlocked.detail, code=PasswordLoginBlocked.code)


class SuperuserAdminSite(admin.AdminSite):
    login_form = ThrottledAdminLoginForm
    login_template = "accounts/admin_login.html"  # Django's, with the authentication code field

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302 and request.user.is_authenticated:
            # A Django admin session began (Django's login() ran): in the security log too. A
            # superuser with a second factor gave an authenticator code (the form's rule).
            user = request.user
            security_log.record(
                user,
                security_log.SIGNED_IN,
                method="password",
                second_factor="totp" if mfa_login.needs_second_factor(user) else "",
                new_device=False,
                site="django_admin",
            )
        return response
