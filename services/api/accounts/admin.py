"""The Django admin's user pages (the site itself, superusers only, is accounts/admin_site.py)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User, username_validator


class AdminUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]  # the stubs do not declare it
        model = User
        fields = "__all__"
        field_classes: dict[str, type] = {}  # the stock form's UsernameField assumes a required, non-null username

    username = forms.CharField(
        max_length=30,
        required=False,
        validators=[username_validator],
        help_text="Optional. 3 to 30 characters: letters, digits, and . _ - inside.",
    )

    def clean_username(self):
        username = self.cleaned_data.get("username") or None
        if username and User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This username is taken."), code="username_taken")
        return username


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    ordering = ["id"]
    list_display = ["email", "username", "is_active", "email_confirmed", "is_staff", "date_joined"]
    search_fields = ["email", "username", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "username", "password"]}),
        ("Profile", {"fields": ["first_name", "last_name"]}),
        ("Status", {"fields": ["is_active", "email_confirmed", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
