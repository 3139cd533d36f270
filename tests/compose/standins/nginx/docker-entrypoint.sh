#!/bin/sh
# The real image's entrypoint runs /docker-entrypoint.d/*.sh (templates, IPv6 listen) before
# nginx; our web image sets ENTRYPOINT [] and renders its own template, so this one only execs.
set -e
exec "$@"
