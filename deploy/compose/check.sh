#!/usr/bin/env bash
# Checks the container definitions without a Docker engine: compose.yaml (alone, production-like)
# and with compose.override.yaml (development), and every Dockerfile. Fails on the first problem.
# Offline: nothing here contacts a registry.
#
#   1. docker-compose config -q (Debian's docker-compose 1.29) on every combination of files,
#      with the default ENV_FILE and with ENV_FILE=.env.example;
#   2. check_compose.py on the renderings: restart policies, limits, grace periods, health checks
#      on the Kubernetes probes' endpoints, no source mounts (the email templates, read-only, are
#      the one host directory), hardening (checkov has no compose framework, so these rules are
#      ours); again with EMAIL_TEMPLATES_HOST_DIR set to the example;
#   3. hadolint on every Dockerfile;
#   4. checkov: the dockerfile framework on every Dockerfile, minus checkov-skips.txt, and the
#      secrets framework on the compose files (credentials belong in ENV_FILE);
#   5. the email template directories compose mounts (deploy/email-templates/default and
#      example) parse and render with Django's template engine (check_templates.py), in the
#      API's virtualenv: API_PYTHON, default services/api/.venv/bin/python; skipped, saying so,
#      when there is none (make services/api/.venv/.installed).
#
# Usage: deploy/compose/check.sh TOOLS_BIN
#   TOOLS_BIN: a bin directory holding hadolint, checkov and a python with PyYAML, e.g. the
#   .venv-checks virtualenv's (tests/checks-requirements.txt).
set -euo pipefail

if [[ $# -ne 1 || ! -d "$1" ]]; then
    echo "usage: $0 TOOLS_BIN (a directory with hadolint, checkov and python)" >&2
    exit 2
fi
bin=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

for tool in hadolint checkov python; do
    [[ -x "$bin/$tool" ]] || { echo "check: $bin/$tool not found" >&2; exit 2; }
done
command -v docker-compose > /dev/null || { echo "check: docker-compose not found (apt-get install docker-compose)" >&2; exit 2; }

fail() {
    echo "check: FAIL: $*" >&2
    exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Interpolation reads only what this script sets: a developer's own .env is left out.
: > "$tmp/empty.env"
compose() {
    docker-compose --project-directory "$repo" --env-file "$tmp/empty.env" "$@"
}

# 1. Every combination of files renders.
combos=("-f compose.yaml" "-f compose.yaml -f compose.override.yaml")
for files in "${combos[@]}"; do
    for env_file in "" ".env.example"; do
        # shellcheck disable=SC2086  # $files is a list of options
        ENV_FILE="$env_file" compose $files config -q \
            || fail "docker-compose $files config (ENV_FILE=${env_file:-default})"
        echo "check: docker-compose $files config: valid (ENV_FILE=${env_file:-default})"
    done
done
# No files named: what `docker compose up` reads (compose.yaml + compose.override.yaml).
compose config -q || fail "docker-compose config (default files)"
services=$(compose config --services)
grep -qx mailhog <<< "$services" || fail "docker-compose does not read compose.override.yaml by default"
echo "check: docker-compose config: valid (default files: compose.yaml + compose.override.yaml)"

# 2. Our rules, on what compose would actually run.
compose -f compose.yaml config > "$tmp/production.yaml"
compose -f compose.yaml -f compose.override.yaml config > "$tmp/development.yaml"
"$bin/python" "$here/check_compose.py" "$tmp/production.yaml" "$tmp/development.yaml" \
    || fail "compose rules (deploy/compose/check_compose.py)"
EMAIL_TEMPLATES_HOST_DIR=./deploy/email-templates/example compose -f compose.yaml config > "$tmp/example.yaml"
grep -q "source: $repo/deploy/email-templates/example\$" "$tmp/example.yaml" \
    || fail "EMAIL_TEMPLATES_HOST_DIR does not choose the email templates' host directory"
"$bin/python" "$here/check_compose.py" "$tmp/example.yaml" "$tmp/development.yaml" \
    || fail "compose rules with EMAIL_TEMPLATES_HOST_DIR=./deploy/email-templates/example"
echo "check: compose rules hold with EMAIL_TEMPLATES_HOST_DIR=./deploy/email-templates/example too"

# 3. hadolint, on every Dockerfile in the repo.
mapfile -t dockerfiles < <(find services deploy -name node_modules -prune -o -name .venv -prune -o \
    -name Dockerfile -type f -print | sort)
[[ ${#dockerfiles[@]} -gt 0 ]] || fail "no Dockerfile found"
"$bin/hadolint" "${dockerfiles[@]}" || fail "hadolint"
echo "check: hadolint: ${dockerfiles[*]}: clean"

# 4. checkov, offline: no platform download, no mapping, no package scan, no update check.
skips=()
while IFS= read -r line; do
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    [[ "$line" =~ ^(CKV2?_(DOCKER|SECRET)_[0-9]+)[[:space:]]+[^[:space:]] ]] \
        || fail "checkov-skips.txt: expected 'CHECK_ID reason', got: $line"
    skips+=("${BASH_REMATCH[1]}")
done < "$here/checkov-skips.txt"
skip_args=()
if [[ ${#skips[@]} -gt 0 ]]; then
    skip_args=(--skip-check "$(IFS=,; echo "${skips[*]}")")
fi
checkov() {
    BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false CKV_SKIP_PACKAGE_UPDATE_CHECK=true \
        CKV_PARSE_ERROR_FAIL=true "$bin/checkov" --skip-download --compact "${skip_args[@]}" "$@"
}
file_args=()
for dockerfile in "${dockerfiles[@]}"; do
    file_args+=(-f "$dockerfile")
done
checkov --framework dockerfile --quiet "${file_args[@]}" > "$tmp/checkov-dockerfile.txt" 2>&1 \
    || { cat "$tmp/checkov-dockerfile.txt" >&2; fail "checkov dockerfile (skipped: ${skips[*]:-none})"; }
grep -E "^(Passed|Failed) checks" "$tmp/checkov-dockerfile.txt" | sed 's/^/check: checkov dockerfile: /'
grep -q "^Passed checks: [1-9]" "$tmp/checkov-dockerfile.txt" || fail "checkov ran no dockerfile check"
checkov --framework secrets -f compose.yaml -f compose.override.yaml > "$tmp/checkov-secrets.txt" 2>&1 \
    || { cat "$tmp/checkov-secrets.txt" >&2; fail "checkov secrets: a credential is written in a compose file (use ENV_FILE)"; }
echo "check: checkov secrets: no credential in compose.yaml or compose.override.yaml"

# 5. The email templates, with the API's own template engine and settings.
api_python=${API_PYTHON:-$repo/services/api/.venv/bin/python}
[[ -x $api_python ]] || fail "no API virtualenv at $api_python (make services/api/.venv/.installed)"
(cd services/api && PYTHONPATH=. DJANGO_SETTINGS_MODULE=config.test_settings "$api_python" \
    "$repo/deploy/email-templates/check_templates.py" "$repo/deploy/email-templates/default" \
    "$repo/deploy/email-templates/example") \
    || fail "email templates (deploy/email-templates/check_templates.py)"
echo "check: OK (checkov skips: ${skips[*]:-none})"
