"""WSGI entry point used by gunicorn (see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

from core.wsgi import refuse_unknown_charsets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = refuse_unknown_charsets(get_wsgi_application())
