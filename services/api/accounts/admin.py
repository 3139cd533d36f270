"""The Django admin (/admin/, staff only) for users."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
