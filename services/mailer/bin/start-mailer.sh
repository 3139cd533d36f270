#!/usr/bin/env bash
# Starts the Dramatiq worker that delivers emails. Used by the image, the VM unit and the
# native launcher (which puts the virtualenv's bin first on PATH).
#
# Exactly one worker process: it serves /metrics and /healthz (mailer/status.py), whose counters
# would otherwise be split between processes. Scale with MAILER_THREADS and more replicas.
#
# On SIGTERM the dramatiq CLI stops fetching, lets the emails being sent finish for up to
# MAILER_SHUTDOWN_TIMEOUT_S seconds, puts prefetched messages back on the queue and exits 0. Give
# the supervisor's own stop timeout a few seconds more than that.
set -o errexit -o pipefail -o nounset
cd "$(dirname "$0")/.."

threads="${MAILER_THREADS:-4}"
shutdown_timeout_s="${MAILER_SHUTDOWN_TIMEOUT_S:-30}"
if [[ ! "$threads" =~ ^[1-9][0-9]*$ ]]; then
    echo "start-mailer: MAILER_THREADS must be a whole number from 1, not '$threads'" >&2
    exit 2
fi
if [[ ! "$shutdown_timeout_s" =~ ^[0-9]+$ ]]; then
    echo "start-mailer: MAILER_SHUTDOWN_TIMEOUT_S must be a whole number of seconds, not '$shutdown_timeout_s'" >&2
    exit 2
fi

exec dramatiq mailer.broker mailer.actors \
    --queues emails \
    --processes 1 \
    --threads "$threads" \
    --worker-shutdown-timeout "$((10#$shutdown_timeout_s * 1000))"
