#!/usr/bin/env bash
# Starts the outbox relay: hands emails the API could not enqueue (Redis down, a crash between
# commit and enqueue) to the mail queue. Needs only the database. Same image as the API.
set -o errexit -o pipefail -o nounset
cd "$(dirname "$0")/.."
exec python manage.py relay_outbox
