#!/usr/bin/env bash
# One-shot: applies database migrations. Run before (re)starting the API.
set -o errexit -o pipefail -o nounset
cd "$(dirname "$0")/.."
exec python manage.py migrate --noinput
