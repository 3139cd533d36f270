#!/usr/bin/env bash
# Starts the API under gunicorn. Used by the image, the VM unit and the native launcher.
# Migrations are not run here: see bin/migrate.sh (a one-shot job).
set -o errexit -o pipefail -o nounset
cd "$(dirname "$0")/.."
exec gunicorn --config gunicorn.conf.py
