"""Gunicorn settings, shared by the container image, the VM unit and the native launcher."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
# The gateway is the only client; it overwrites X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Only the scheme header the gateway sets: gunicorn's default also believes X-Forwarded-Ssl and
# X-Forwarded-Protocol, which a client can send through the gateway, and answers a
# contradiction with its own HTML 400.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
# Never stricter than the gateway, so that the gateway is the one that refuses, in JSON.
# nginx.conf.template's large_client_header_buffers 4 8000 let through a request line or a
# header line of at most 8000 bytes with its line end, forwarded as it came or one byte longer
# (nginx adds the space after "Name:"). nginx takes at most 1000 header lines where it has
# max_headers, else as many as fit in its 36 KB: about 12 300 of 3 bytes ("x:" and LF).
limit_request_line = 8190  # gunicorn's largest short of unlimited
limit_request_field_size = 8190
limit_request_fields = 16384  # gunicorn's default is 100, its maximum 32768
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# No query strings in the access log: the URL path is all it needs, and secrets never go
# in URLs anyway. %({x-request-id}i)s ties the line to the gateway's log.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}i)s'
# Escapes what the client controls in each line (a %0A in the path would start a forged one).
logger_class = "core.log_escaping.EscapingGunicornLogger"
wsgi_app = "config.wsgi:application"
