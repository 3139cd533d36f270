#!/bin/sh
# Renders nginx.conf.template from the environment and runs nginx in the foreground.
# POSIX sh on purpose: the web image (nginx:alpine) has no bash.
set -eu

: "${GATEWAY_PORT:=8080}"
: "${API_UPSTREAM:=api:8000}"
: "${WEB_ROOT:=/usr/share/nginx/html}"
: "${NGINX_RUN_DIR:=/tmp/gateway}"
: "${GATEWAY_SERVER_NAMES:=localhost 127.0.0.1}"
: "${GATEWAY_AUTH_RATE:=10r/s}"
: "${GATEWAY_AUTH_BURST:=20}"
: "${GATEWAY_TLS_CERT:=}"
: "${GATEWAY_TLS_KEY:=}"
: "${GATEWAY_TRUSTED_PROXIES:=}"
GATEWAY_LISTEN_TLS=""
export GATEWAY_PORT API_UPSTREAM WEB_ROOT NGINX_RUN_DIR GATEWAY_SERVER_NAMES GATEWAY_AUTH_RATE GATEWAY_AUTH_BURST

here=$(cd "$(dirname "$0")" && pwd)
# Where the template's includes (json-errors.conf) are: next to this script, wherever it is.
GATEWAY_NGINX_DIR=$here
export GATEWAY_NGINX_DIR
mkdir -p "$NGINX_RUN_DIR"
# TLS is on when both certificate paths are set (then HSTS is sent too); one alone is a mistake.
if [ -n "$GATEWAY_TLS_CERT" ] && [ -n "$GATEWAY_TLS_KEY" ]; then
    GATEWAY_LISTEN_TLS=" ssl"
    printf 'ssl_certificate %s;\nssl_certificate_key %s;\nssl_protocols TLSv1.2 TLSv1.3;\nssl_prefer_server_ciphers off;\nssl_session_cache shared:tls:10m;\n' \
        "$GATEWAY_TLS_CERT" "$GATEWAY_TLS_KEY" > "$NGINX_RUN_DIR/tls.conf"
elif [ -n "$GATEWAY_TLS_CERT$GATEWAY_TLS_KEY" ]; then
    echo "start-gateway: set both GATEWAY_TLS_CERT and GATEWAY_TLS_KEY, or neither" >&2
    exit 2
else
    : > "$NGINX_RUN_DIR/tls.conf"
fi
export GATEWAY_LISTEN_TLS
# Behind a load balancer or an ingress controller, the client is the LB's X-Forwarded-For entry,
# believed only when the connection comes from one of these addresses/CIDRs. Empty: the peer.
: > "$NGINX_RUN_DIR/real_ip.conf"
for proxy in $(printf '%s' "$GATEWAY_TRUSTED_PROXIES" | tr ',' ' '); do
    case "$proxy" in
        *[!0-9A-Fa-f:./]* | "")
            echo "start-gateway: GATEWAY_TRUSTED_PROXIES: '$proxy' is not an address or CIDR" >&2
            exit 2 ;;
    esac
    printf 'set_real_ip_from %s;\n' "$proxy" >> "$NGINX_RUN_DIR/real_ip.conf"
done
if [ -s "$NGINX_RUN_DIR/real_ip.conf" ]; then
    printf 'real_ip_header X-Forwarded-For;\nreal_ip_recursive on;\n' >> "$NGINX_RUN_DIR/real_ip.conf"
fi
# Only our variables: nginx's own $variables must survive envsubst untouched.
envsubst '${GATEWAY_PORT} ${API_UPSTREAM} ${WEB_ROOT} ${NGINX_RUN_DIR} ${GATEWAY_SERVER_NAMES} ${GATEWAY_AUTH_RATE} ${GATEWAY_AUTH_BURST} ${GATEWAY_LISTEN_TLS} ${GATEWAY_NGINX_DIR}' \
    < "$here/nginx.conf.template" > "$NGINX_RUN_DIR/nginx.conf"
nginx -t -q -c "$NGINX_RUN_DIR/nginx.conf"
exec nginx -c "$NGINX_RUN_DIR/nginx.conf" -g 'daemon off;'
