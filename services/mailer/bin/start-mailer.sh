#!/usr/bin/env bash
# Starts the Dramatiq worker that delivers emails. Used by the image, the VM unit and the
# native launcher (which puts the virtualenv's bin first on PATH).
set -o errexit -o pipefail -o nounset
cd "$(dirname "$0")/.."
exec dramatiq mailer.broker mailer.actors \
    --queues emails \
    --processes "${MAILER_PROCESSES:-1}" \
    --threads "${MAILER_THREADS:-4}"
