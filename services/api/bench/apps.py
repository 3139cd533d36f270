from allauth.account.apps import AccountConfig
from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "Benchmark mode"
    default = True  # "bench" in INSTALLED_APPS; this module holds another config


class AllauthAccountConfig(AccountConfig):
    """allauth.account without its start-up check that AccountMiddleware is in MIDDLEWARE:
    bench.middleware runs it for the benchmark's allauth endpoints only (config/settings.py)."""

    def ready(self) -> None:
        from allauth.account import checks  # noqa: F401 - registers allauth's system checks
