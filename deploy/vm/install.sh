#!/usr/bin/env bash
# Installs or upgrades the platform on one Debian/Ubuntu machine with systemd, from this checkout.
# Idempotent: run it again for an upgrade (or to repair); with nothing changed it changes nothing.
#
#   sudo deploy/vm/install.sh [--set KEY=VALUE]...     install or upgrade, then start or reload
#   deploy/vm/install.sh --prefix DIR --no-systemd --user "$(id -un)" ...   a trial install
#                                                      into DIR, no unit started (the VM test)
#
# Steps, each skipped when already done:
#   1. the service user (system install only; a --prefix install needs an existing --user);
#   2. the web app build: services/web/dist, rebuilt with npm when its sources are newer
#      (--web-dist DIR uses a build made elsewhere);
#   3. a release, /opt/auth-platform/releases/ID: what the images ship (each service's
#      .dockerignore applies), the web build, the admin's static files; ID is a hash of the
#      content, so the same checkout gives the same release. Virtualenvs live in
#      /opt/auth-platform/venvs/SERVICE-HASH, one per requirements file, shared by releases;
#   4. /etc/auth-platform/env, the units' EnvironmentFile=: written once from .env.example with
#      values for this machine, generated secrets and the --set values; never overwritten; and
#      /etc/auth-platform/email-templates, empty, the EMAIL_TEMPLATES_DIR it names;
#   5. the units, /etc/systemd/system/auth-platform-*, and /opt/auth-platform/bin/auth-platform-run;
#   6. the gateway's config rendered from services/web/nginx/nginx.conf.template by its own
#      start-gateway.sh and checked with `nginx -t` (a bad setting stops here, not at restart);
#   7. migrations (bin/migrate.sh, as the service user), before any new code serves;
#   8. /opt/auth-platform/current switched to the release (one atomic rename);
#   9. systemd, for what changed since the previous release: the API is reloaded (SIGHUP: new
#      workers on the new code, the old ones finish their requests: no downtime), or restarted
#      when its virtualenv or unit changed; the relay and the mailer restart (the mailer
#      finishes its sends first); the gateway restarts when its template or unit changed; the
#      token-cleanup timer is enabled;
#  10. releases beyond the newest --keep-releases (default 3) and unused virtualenvs are removed.
#
# PostgreSQL and Redis are the operator's (local packages or managed services): see docs/deploy.md.
set -o errexit -o pipefail -o nounset
umask 022

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
Options:
  --prefix DIR          install under DIR instead of / (DIR/opt/auth-platform, DIR/etc/...)
  --no-systemd          install only: no systemctl (required with --prefix)
  --user NAME           the service user (default auth-platform; created by a system install)
  --python PATH         the Python for the virtualenvs (default /usr/bin/python3, 3.10+)
  --web-dist DIR        use this web app build instead of services/web/dist
  --set KEY=VALUE       a setting for a new env file (names from .env.example); repeatable
  --keep-releases N     releases kept on disk (default 3, at least 2)
EOF
}

say() { printf 'install: %s\n' "$*"; }
die() {
    printf 'install: error: %s\n' "$*" >&2
    exit 1
}

src=$(cd "$(dirname "$0")/../.." && pwd)
prefix=/
user=auth-platform
use_systemd=1
web_dist=
keep=3
python=/usr/bin/python3
sets=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
        --user) user=${2:?--user needs a name}; shift 2 ;;
        --no-systemd) use_systemd=0; shift ;;
        --web-dist) web_dist=${2:?--web-dist needs a directory}; shift 2 ;;
        --python) python=${2:?--python needs a path}; shift 2 ;;
        --set) sets+=("${2:?--set needs KEY=VALUE}"); shift 2 ;;
        --keep-releases) keep=${2:?--keep-releases needs a number}; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

# ---- where things go --------------------------------------------------------------------
[[ $prefix == /* ]] || die "--prefix must be an absolute path"
prefix=${prefix%/}
# Baked into unit files and sed expressions: keep it to plain path characters.
[[ $prefix =~ ^(/[A-Za-z0-9._-]+)*$ ]] || die "--prefix may hold only letters, digits and . _ - /"
[[ $keep =~ ^[0-9]+$ && $keep -ge 2 ]] || die "--keep-releases must be a number, at least 2"
if [[ -n $prefix && $use_systemd -eq 1 ]]; then
    die "systemd does not read units under --prefix $prefix: add --no-systemd"
fi
app=$prefix/opt/auth-platform
etc=$prefix/etc/auth-platform
env_file=$etc/env
unit_dir=$prefix/etc/systemd/system
gateway_run_dir=$prefix/run/auth-platform-gateway # the gateway unit's RuntimeDirectory=
units=(auth-platform-api.service auth-platform-outbox-relay.service auth-platform-mailer.service
    auth-platform-gateway.service auth-platform-token-cleanup.service auth-platform-token-cleanup.timer)

# ---- prerequisites -------------------------------------------------------------------------
if [[ -z $prefix && $(id -u) -ne 0 ]]; then
    die "a system install runs as root (or use --prefix DIR --no-systemd --user $(id -un))"
fi
nginx_bin=$(PATH=$PATH:/usr/sbin command -v nginx || true)
missing=()
for tool in envsubst sha256sum tar flock; do
    command -v "$tool" > /dev/null || missing+=("$tool")
done
[[ -n $nginx_bin ]] || missing+=(nginx)
[[ ${#missing[@]} -eq 0 ]] || die "missing: ${missing[*]} (apt-get install python3-venv nginx gettext-base)"
"$python" -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 10))' 2> /dev/null \
    || die "$python: Python 3.10 or later with venv support is needed (apt-get install python3-venv)"
# The virtualenvs link to this interpreter: the units (ProtectHome=yes) and the service user must
# reach it, so not one under a home directory (pyenv and the like).
case $(readlink -f "$python") in
    /home/* | /root/* | /run/user/*) die "$python lives in a home directory, which the units cannot read: use --python /usr/bin/python3" ;;
esac
if [[ $use_systemd -eq 1 ]] && ! command -v systemctl > /dev/null; then
    die "systemctl not found: add --no-systemd to install without starting anything"
fi

mkdir -p "$app/releases" "$app/venvs" "$app/bin" "$etc" "$unit_dir"
exec 9> "$app/.install.lock"
flock -n 9 || die "another install.sh is running on $app"
rm -rf "$app/releases"/.staging.*
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- 1. the service user ------------------------------------------------------------------
if ! id -u "$user" > /dev/null 2>&1; then
    [[ -z $prefix ]] || die "user $user does not exist (a --prefix install creates no user)"
    say "creating the system user $user"
    useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin "$user"
fi
group=$(id -gn "$user")
if [[ $(id -u) -ne 0 && $(id -un) != "$user" ]]; then
    die "as $(id -un), only --user $(id -un) is possible"
fi

# ---- 2. the web app build ---------------------------------------------------------------------
if [[ -z $web_dist ]]; then
    web=$src/services/web
    web_dist=$web/dist
    if [[ ! -f $web_dist/index.html ]] \
        || [[ -n $(find "$web/src" "$web/index.html" "$web/vite.config.js" "$web/tsconfig.json" "$web/package.json" \
            "$web/package-lock.json" -newer "$web_dist/index.html" -print -quit) ]]; then
        command -v npm > /dev/null || die "npm (Node 20.19+) builds the web app; or pass --web-dist DIR"
        say "building the web app (npm ci, npm run build in services/web)"
        (cd "$web" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
    fi
fi
[[ -f $web_dist/index.html ]] || die "$web_dist holds no index.html"

# ---- 3. the release ------------------------------------------------------------------------
stage=$(mktemp -d "$app/releases/.staging.XXXXXX")
trap 'rm -rf "$tmp" "$stage"' EXIT
copy_service() {
    # What the service's image copies: its .dockerignore, read as tar exclusions.
    local service=$1 pattern excludes=()
    while IFS= read -r pattern || [[ -n $pattern ]]; do
        [[ $pattern =~ ^[[:space:]]*(#|$) ]] && continue
        if [[ $pattern == '**/'* ]]; then
            excludes+=("--exclude=${pattern#'**/'}")
        else
            excludes+=("--exclude=./$pattern")
        fi
    done < "$src/services/$service/.dockerignore"
    mkdir -p "$stage/services/$service"
    tar -C "$src/services/$service" "${excludes[@]}" -cf - . | tar -C "$stage/services/$service" --no-same-owner -xf -
}
copy_service api
copy_service mailer
mkdir -p "$stage/services/web" "$stage/web" "$stage/docs"
tar -C "$src/services/web" -cf - nginx | tar -C "$stage/services/web" --no-same-owner -xf -
cp -R "$web_dist/." "$stage/web/"
[[ ! -f $src/docs/deploy.md ]] || cp "$src/docs/deploy.md" "$stage/docs/"
chmod -R u+rwX,go+rX,go-w "$stage"
# One virtualenv per (Python, requirements file), shared by every release that needs it.
declare -A venvs=()
python_id=$("$python" -c 'import sys; print(sys.executable, sys.version)')
for service in api mailer; do
    venvs[$service]=$service-$(printf '%s\n' "$python_id" | cat - "$stage/services/$service/requirements.txt" | sha256sum | cut -c1-12)
done
# The release's name: a hash of its files and of the virtualenvs it runs on.
release_id=$(
    cd "$stage"
    {
        find . -printf '%y %m %p %l\n' | LC_ALL=C sort
        find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
        printf '%s\n' "${venvs[api]}" "${venvs[mailer]}"
    } | sha256sum | cut -c1-12
)
release=$app/releases/$release_id

if [[ -f $release/.complete ]]; then
    say "release $release_id is already built"
else
    say "building release $release_id"
    rm -rf "$release"
    mkdir -p "$stage/venvs"
    for service in api mailer; do
        venv=$app/venvs/${venvs[$service]}
        if [[ ! -f $venv/.complete ]]; then
            say "creating the $service virtualenv venvs/${venvs[$service]}"
            rm -rf "$venv"
            "$python" -m venv "$venv"
            "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input \
                --requirement "$stage/services/$service/requirements.txt"
            touch "$venv/.complete"
        fi
        ln -s "../../../venvs/${venvs[$service]}" "$stage/venvs/$service"
    done
    # The Django admin's and the API docs' static files, as the image's build does; the secret
    # only lets the settings load.
    (cd "$stage/services/api" && env -i PATH="$stage/venvs/api/bin:/usr/bin:/bin" PYTHONDONTWRITEBYTECODE=1 \
        APP_ENV=production DJANGO_ALLOWED_HOSTS=build \
        DJANGO_SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijklmnopqrstuv \
        MFA_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtbWZhLWtleSE= \
        python manage.py collectstatic --noinput --verbosity 0)
    # Bytecode now: the code directory is read-only for the services.
    "$stage/venvs/api/bin/python" -m compileall -q "$stage/services"
    commit=$(git -C "$src" rev-parse --short HEAD 2> /dev/null || echo unknown)
    printf 'release %s\nsource %s (commit %s)\nbuilt %s\n' "$release_id" "$src" "$commit" \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$stage/RELEASE"
    chmod -R u+rwX,go+rX,go-w "$stage"
    touch "$stage/.complete"
    mv -T "$stage" "$release"
fi

# ---- 4. the env file ---------------------------------------------------------------------------
# Every name must come from .env.example (one config, several launchers), commented ones too.
known_names=$(sed -n -E 's/^#? ?([A-Z][A-Z0-9_]*)=.*/\1/p' "$src/.env.example" | sort -u)
if [[ -e $env_file ]]; then
    say "keeping $env_file (install.sh never rewrites it)"
    [[ ${#sets[@]} -eq 0 ]] || say "note: --set ignored, $env_file exists: edit it instead"
    present=$(sed -n -E 's/^#? ?([A-Z][A-Z0-9_]*)=.*/\1/p' "$env_file" | sort -u)
    new_names=$(comm -23 <(sed -n -E 's/^([A-Z][A-Z0-9_]*)=.*/\1/p' "$src/.env.example" | sort -u) <(echo "$present"))
    [[ -z $new_names ]] || say "settings new in .env.example, at their defaults here: $(tr '\n' ' ' <<< "$new_names")"
else
    secret() { "$python" -c "import secrets, sys; print(secrets.token_urlsafe(int(sys.argv[1])))" "$1"; }
    # A Fernet key (32 random bytes, URL-safe base64) for the second factors' secrets at rest.
    fernet_key() { "$python" -c "import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"; }
    redis_password=$(secret 32)
    declare -A values=(
        [APP_ENV]=production
        [DJANGO_SECRET_KEY]=$(secret 64)
        [MFA_ENCRYPTION_KEYS]=$(fernet_key)
        [AUTH_COOKIE_SECURE]=true
        # The operator's PostgreSQL and Redis, on this machine by default (docs/deploy.md).
        [DATABASE_URL]="postgres://auth:$(secret 24)@127.0.0.1:5432/auth"
        [REDIS_PASSWORD]=$redis_password
        [REDIS_URL]="redis://:$redis_password@127.0.0.1:6379/0?socket_timeout=5&socket_connect_timeout=5"
        [SMTP_HOST]=localhost
        [SMTP_PORT]=25
        # Only the gateway talks to the API, and nothing else listens beyond this machine.
        [GUNICORN_BIND]=127.0.0.1:8000
        [GUNICORN_FORWARDED_ALLOW_IPS]=127.0.0.1
        [OUTBOX_RELAY_METRICS_HOST]=127.0.0.1
        [MAILER_METRICS_HOST]=127.0.0.1
        [WEB_ROOT]=$app/current/web
        [NGINX_RUN_DIR]=$gateway_run_dir
        # The operator's email templates (docs/deploy.md, "Email templates (branding)").
        [EMAIL_TEMPLATES_DIR]=$etc/email-templates
    )
    declare -A given=()
    for assignment in "${sets[@]}"; do
        [[ $assignment =~ ^([A-Z][A-Z0-9_]*)=(.*)$ ]] || die "--set $assignment: expected KEY=VALUE"
        grep -qx "${BASH_REMATCH[1]}" <<< "$known_names" || die "--set: ${BASH_REMATCH[1]} is not a name from .env.example"
        values[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
        given[${BASH_REMATCH[1]}]=1
    done
    if [[ -z ${given[API_UPSTREAM]:-} ]]; then
        # The gateway proxies to wherever the API listens.
        bind=${values[GUNICORN_BIND]}
        case $bind in
            unix:*) values[API_UPSTREAM]=$bind ;;
            0.0.0.0:* | \[::\]:*) values[API_UPSTREAM]=127.0.0.1:${bind##*:} ;;
            *) values[API_UPSTREAM]=$bind ;;
        esac
    fi
    declare -A written=()
    new_env=$(mktemp "$etc/.env.XXXXXX") # 0600: secrets
    {
        printf '# Written by deploy/vm/install.sh on %s from .env.example, for the systemd units\n' "$(date -u +%Y-%m-%d)"
        printf '# (EnvironmentFile=). install.sh never changes it again: edit it, then restart the units.\n\n'
        while IFS= read -r line || [[ -n $line ]]; do
            key=
            [[ $line =~ ^([A-Z][A-Z0-9_]*)= ]] && key=${BASH_REMATCH[1]}
            if [[ -n $key && -n ${values[$key]+set} ]]; then
                printf '%s=%s\n' "$key" "${values[$key]}"
                written[$key]=1
            else
                printf '%s\n' "$line"
            fi
        done < "$src/.env.example"
        header='\n# ---- Set with install.sh --set -------------------------------------------------------------\n'
        for key in "${!values[@]}"; do
            [[ -z ${written[$key]:-} ]] || continue
            printf "$header%s=%s\n" "$key" "${values[$key]}"
            header=
        done
    } > "$new_env"
    mv "$new_env" "$env_file"
    say "wrote $env_file (APP_ENV=production, generated secrets; your PostgreSQL and Redis must match it)"
fi

# Empty: every email uses our templates until files are put there, readable by the service user.
mkdir -p "$etc/email-templates"

# ---- 5. units and the command helper ---------------------------------------------------------
changed=()
install_file() {
    # SOURCE DEST MODE: the file with this layout's paths and user; DEST is rewritten only when
    # it differs, and then named in $changed.
    local rendered=$tmp/rendered
    sed -e "s#/opt/auth-platform#$app#g" -e "s#/etc/auth-platform#$etc#g" \
        -e "s#^User=auth-platform\$#User=$user#" -e "s#^Group=auth-platform\$#Group=$group#" \
        -e "s#^service_user=auth-platform\$#service_user=$user#" "$1" > "$rendered"
    if ! cmp -s "$rendered" "$2"; then
        install -m "$3" "$rendered" "$2"
        changed+=("$(basename "$2")")
    fi
}
for unit in "${units[@]}"; do
    install_file "$src/deploy/vm/systemd/$unit" "$unit_dir/$unit" 0644
done
install_file "$src/deploy/vm/auth-platform-run" "$app/bin/auth-platform-run" 0755
run=$app/bin/auth-platform-run
[[ ${#changed[@]} -eq 0 ]] || say "installed: ${changed[*]}"

# ---- 6. the gateway's config, rendered and checked --------------------------------------------
# start-gateway.sh renders the template and runs `nginx -t`, then execs nginx; the nginx found
# first on PATH here keeps only the test. It runs as the service user with the env file and the
# stdout pipe of the unit's ExecStart=, so an unreadable certificate shows up now too.
mkdir -p "$tmp/shim" "$tmp/gateway"
cat > "$tmp/shim/nginx" <<EOF
#!/bin/sh
case " \$* " in *" -t "*) exec $nginx_bin "\$@" ;; esac
exit 0
EOF
chmod 0755 "$tmp" "$tmp/shim" "$tmp/shim/nginx"
chown "$user:$group" "$tmp/gateway"
"$run" --release "$release" gateway env NGINX_RUN_DIR="$tmp/gateway" PATH="$tmp/shim:/usr/sbin:/usr/bin:/sbin:/bin" \
    bash -c 'exec ./start-gateway.sh > >(exec cat)' > "$tmp/gateway.log" 2>&1 \
    || { cat "$tmp/gateway.log" >&2; die "the gateway config does not render or pass nginx -t (settings in $env_file)"; }
say "gateway config renders from nginx.conf.template and passes nginx -t"

# ---- 7. migrations -----------------------------------------------------------------------------
say "migrating the database (bin/migrate.sh of release $release_id)"
"$run" --release "$release" api bin/migrate.sh \
    || die "migrations failed: check DATABASE_URL in $env_file and that the database exists (docs/deploy.md), then run install.sh again"

# ---- 8. switch -------------------------------------------------------------------------------
previous=$(readlink "$app/current" 2> /dev/null || true)
previous=${previous#releases/}
if [[ $previous != "$release_id" ]]; then
    ln -sfn "releases/$release_id" "$app/current.new"
    mv -T "$app/current.new" "$app/current"
    touch "$release"
    say "current -> releases/$release_id${previous:+ (was $previous)}"
fi

# ---- 9. (re)start ------------------------------------------------------------------------------
# Each unit is touched only when what it runs changed since the previous release.
changed_file() { [[ " ${changed[*]} " == *" $1 "* ]]; }
differs() {
    # A directory of the release (or a virtualenv link) differs from the previous release's.
    [[ -n $previous && $previous != "$release_id" ]] || return 1
    if [[ -L $release/$1 ]]; then
        [[ $(readlink "$app/releases/$previous/$1") != $(readlink "$release/$1") ]]
    elif diff -qr --exclude=__pycache__ "$app/releases/$previous/$1" "$release/$1" > /dev/null; then
        return 1
    fi
}
restart_if() {
    # UNIT CONDITION...: restart when a condition holds, else make sure it runs.
    local unit=$1
    shift
    if "$@"; then systemctl restart "$unit"; else systemctl start "$unit"; fi
}
if [[ $use_systemd -eq 1 ]]; then
    [[ ${#changed[@]} -eq 0 ]] || systemctl daemon-reload
    systemctl enable --quiet auth-platform-api.service auth-platform-outbox-relay.service \
        auth-platform-mailer.service auth-platform-gateway.service auth-platform-token-cleanup.timer
    if ! systemctl is-active --quiet auth-platform-api.service; then
        systemctl start auth-platform-api.service
    elif changed_file auth-platform-api.service || differs venvs/api; then
        say "restarting the API: its unit or virtualenv changed (a reload keeps the old interpreter)"
        systemctl restart auth-platform-api.service
    elif differs services/api; then
        say "reloading the API: new workers on release $release_id, the old ones finish their requests"
        systemctl reload auth-platform-api.service
    fi
    api_changed() { changed_file auth-platform-outbox-relay.service || differs services/api || differs venvs/api; }
    mailer_changed() { changed_file auth-platform-mailer.service || differs services/mailer || differs venvs/mailer; }
    # The web build needs nothing: the gateway serves it through `current`.
    gateway_changed() { changed_file auth-platform-gateway.service || differs services/web/nginx; }
    restart_if auth-platform-outbox-relay.service api_changed
    restart_if auth-platform-mailer.service mailer_changed
    restart_if auth-platform-gateway.service gateway_changed
    systemctl start auth-platform-token-cleanup.timer
    say "state: $( (systemctl is-active auth-platform-api auth-platform-outbox-relay auth-platform-mailer \
        auth-platform-gateway auth-platform-token-cleanup.timer || true) | tr '\n' ' ')"
else
    say "no systemd: units are in $unit_dir; nothing was started or reloaded"
fi

# ---- 10. old releases and virtualenvs ---------------------------------------------------------
current=$(readlink "$app/current")
current=${current#releases/}
while read -r _ old; do
    [[ $old == "$current" || $old == "$previous" ]] || rm -rf "${app:?}/releases/$old"
done < <(find "$app/releases" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%T@ %f\n' | sort -rn | tail -n +"$((keep + 1))")
used=$(find "$app/releases" -mindepth 3 -maxdepth 3 -path '*/venvs/*' -type l -printf '%l\n' | xargs -r -n1 basename | sort -u)
for venv in "$app/venvs"/*; do
    [[ -e $venv ]] || continue
    grep -qx "$(basename "$venv")" <<< "$used" || rm -rf "$venv"
done
say "done: release $release_id in $app"
