#!/usr/bin/env bash
# Deletes expired login tokens every TOKEN_CLEANUP_INTERVAL_S seconds (default 900), for the
# compose service and the native launcher. Kubernetes (a CronJob) and the VM (a systemd timer)
# run the one-shot `python manage.py clear_expired_tokens` on their own schedule instead.
set -o errexit -o pipefail -o nounset
cd "$(dirname "$0")/.."
exec python manage.py clear_expired_tokens --every "${TOKEN_CLEANUP_INTERVAL_S:-900}"
