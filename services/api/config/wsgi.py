"""WSGI entry point used by gunicorn (see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

from core.wsgi import refuse_unknown_charsets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = refuse_unknown_charsets(get_wsgi_application())

# The user-agent parser compiles its rules on first use: here, not in a user's sign-in.
from accounts.devices import warm_up  # noqa: E402 - needs the application (settings) loaded

warm_up()
