"""The Django admin's site (/admin/): superusers only, its login on the API's password-check budget.

The admin role is an API role (/api/admin/users/): it does not reach the Django admin, whose
change forms and password view would give it more than the admin API does (is_superuser,
is_staff, groups, anyone's password). Superusers are made with `manage.py createsuperuser`.
"""

import math

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate

from accounts.models import User
from accounts.sessions import client_ip
from accounts.throttling import account_ident, password_check_budget
from core.email_address import normalize_email
from core.errors import TooManyAttempts


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """Each admin login spends from the same budget as an API login of that account and address."""

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
                raise forms.ValidationError(
                    "Too many attempts. Try again in %(wait)d seconds.",
                    code="throttled",
                    params={"wait": math.ceil(exc.wait or 0)},
                ) from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        # Only superusers get a Django admin session; anyone else is told what a wrong password is.
        if not (user.is_active and user.is_superuser):
            raise self.get_invalid_login_error()


class SuperuserAdminSite(admin.AdminSite):
    login_form = ThrottledAdminLoginForm

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
