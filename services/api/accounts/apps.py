from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts.api import schema  # noqa: F401 - registers the token transports' OpenAPI schemes


class SuperuserAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with accounts.admin_site.SuperuserAdminSite as the default site."""

    default = False
    default_site = "accounts.admin_site.SuperuserAdminSite"
