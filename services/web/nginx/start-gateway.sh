#!/bin/sh
# Renders nginx.conf.template from the environment and runs nginx in the foreground.
# POSIX sh on purpose: the web image (nginx:alpine) has no bash.
set -eu

: "${GATEWAY_PORT:=8080}"
: "${API_UPSTREAM:=api:8000}"
: "${WEB_ROOT:=/usr/share/nginx/html}"
: "${NGINX_RUN_DIR:=/tmp/gateway}"
: "${GATEWAY_SERVER_NAMES:=localhost 127.0.0.1}"
export GATEWAY_PORT API_UPSTREAM WEB_ROOT NGINX_RUN_DIR GATEWAY_SERVER_NAMES

here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$NGINX_RUN_DIR"
# Only our variables: nginx's own $variables must survive envsubst untouched.
envsubst '${GATEWAY_PORT} ${API_UPSTREAM} ${WEB_ROOT} ${NGINX_RUN_DIR} ${GATEWAY_SERVER_NAMES}' \
    < "$here/nginx.conf.template" > "$NGINX_RUN_DIR/nginx.conf"
nginx -t -q -c "$NGINX_RUN_DIR/nginx.conf"
exec nginx -c "$NGINX_RUN_DIR/nginx.conf" -g 'daemon off;'
