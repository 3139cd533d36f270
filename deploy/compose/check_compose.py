"""The rules compose.yaml keeps, checked on `docker-compose config` output (check.sh renders it).

checkov 3.3.30 has no docker-compose framework (`checkov --help`: no compose in --framework), so
what a production-like compose file must say is checked here. Usage:
    check_compose.py PRODUCTION.yaml DEVELOPMENT.yaml
the renderings of compose.yaml alone and of compose.yaml + compose.override.yaml.
"""

import re
import sys
from pathlib import Path

import yaml

OUR_IMAGES = "auth-platform/"
# Services allowed to have no health check, and why.
NO_HEALTHCHECK = {
    "migrate": "one-shot; the API waits for it to complete successfully",
    "token-cleanup": "a sleep loop with no port; the restart policy covers an exit",
}
# Services allowed restart "no", and why.
ONE_SHOT = {"migrate": "a failed migration must stop the rollout, not loop"}
# What each health check must ask: the endpoints the Kubernetes probes use.
HEALTH_ENDPOINTS = {
    "db": ["pg_isready"],
    "redis": ["ping"],
    "api": ["/api/health/live/", "/api/health/ready/", "DJANGO_ALLOWED_HOSTS"],
    "outbox-relay": ["/healthz", "OUTBOX_RELAY_METRICS_PORT"],
    "mailer": ["mailer.healthcheck"],  # its /healthz on MAILER_METRICS_PORT (9108)
    "web": ["/healthz", "GATEWAY_SERVER_NAMES"],
}
# stop_grace_period must be longer than the program's own graceful shutdown (env names).
GRACE_COVERS = {"api": "GUNICORN_GRACEFUL_TIMEOUT", "mailer": "MAILER_SHUTDOWN_TIMEOUT_S"}
DEV_ONLY = {"mailhog"}
# The processes that render emails: they, and only they, mount the operator's templates (a host
# directory, read-only) at EMAIL_TEMPLATES_DIR. What compose mounts when EMAIL_TEMPLATES_HOST_DIR
# is unset holds no template, only its README.md.
EMAIL_RENDERERS = {"api", "outbox-relay"}
DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "deploy" / "email-templates" / "default"


def seconds(duration):
    """Compose durations: 1m30s, 40s, 500ms."""
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", str(duration))
    if not parts or "".join(n + u for n, u in parts) != str(duration):
        raise ValueError(f"not a duration: {duration!r}")
    scale = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 0.000001}
    return sum(float(n) * scale[u] for n, u in parts)


def volume_source(volume):
    if isinstance(volume, dict):
        return volume.get("type"), volume.get("source")
    source = volume.split(":", 1)[0]
    return ("bind" if source.startswith((".", "/", "~")) else "volume"), source


def is_email_templates(name, volume, env):
    """The one host directory allowed: the email templates, read-only, where EMAIL_TEMPLATES_DIR points."""
    return (
        name in EMAIL_RENDERERS
        and isinstance(volume, dict)
        and volume.get("type") == "bind"
        and volume.get("read_only") is True
        and bool(env.get("EMAIL_TEMPLATES_DIR"))
        and volume.get("target") == env["EMAIL_TEMPLATES_DIR"]
    )


def email_templates_problems(name, service, env):
    if not env.get("EMAIL_TEMPLATES_DIR"):
        yield "renders emails: needs x-email-templates (EMAIL_TEMPLATES_DIR and the templates' mount)"
        return
    mounts = [v for v in service.get("volumes") or [] if is_email_templates(name, v, env)]
    if len(mounts) != 1:
        yield f"renders emails: must mount the email templates read-only (a bind) at {env['EMAIL_TEMPLATES_DIR']}"
        return
    source = Path(mounts[0]["source"])
    if not source.is_dir():
        yield f"the email templates' host directory {source} does not exist"
    elif source == DEFAULT_TEMPLATES and sorted(p.name for p in source.iterdir()) != ["README.md"]:
        yield f"{source} is the default, empty on purpose: it must hold only README.md"


def check_production(config, problems):
    services = config["services"]
    named_volumes = set(config.get("volumes") or {})
    for name, service in services.items():

        def problem(message, name=name):
            problems.append(f"compose.yaml: {name}: {message}")

        if name in DEV_ONLY:
            problem("is development-only: move it to compose.override.yaml")
        image = service.get("image", "")
        ours = image.startswith(OUR_IMAGES)

        # No source mounts, and no host paths but the email templates: state lives in named volumes.
        env = service.get("environment") or {}
        for volume in service.get("volumes") or []:
            kind, source = volume_source(volume)
            if is_email_templates(name, volume, env):
                continue
            if kind != "volume" or source not in named_volumes:
                problem(f"mounts {source!r} ({kind}); only named volumes are allowed")
        if name in EMAIL_RENDERERS:
            for message in email_templates_problems(name, service, env):
                problem(message)

        restart = service.get("restart")
        if restart in (None, "no") and name not in ONE_SHOT:
            problem("has no restart policy")
        if restart not in (None, "no") and name in ONE_SHOT:
            problem(f"is a one-shot ({ONE_SHOT[name]}) but restarts: {restart}")

        limits = ((service.get("deploy") or {}).get("resources") or {}).get("limits") or {}
        for key in ("cpus", "memory"):
            if not limits.get(key):
                problem(f"has no deploy.resources.limits.{key}")

        if "stop_grace_period" not in service:
            problem("has no stop_grace_period")
        if name in GRACE_COVERS and "stop_grace_period" in service:
            setting = GRACE_COVERS[name]
            grace, needed = seconds(service["stop_grace_period"]), float(env.get(setting, 0))
            if grace <= needed:
                problem(f"stop_grace_period {grace:.0f}s does not cover {setting}={needed:.0f}")

        healthcheck = service.get("healthcheck") or {}
        if healthcheck.get("disable"):
            if name not in NO_HEALTHCHECK:
                problem("disables its health check with no reason in check_compose.py")
        elif not healthcheck.get("test"):
            problem("has no health check")
        else:
            test = " ".join(healthcheck["test"]) if isinstance(healthcheck["test"], list) else healthcheck["test"]
            for expected in HEALTH_ENDPOINTS.get(name, []):
                if expected not in test:
                    problem(f"health check does not use {expected!r}")

        if service.get("privileged") or service.get("network_mode") == "host" or service.get("pid") == "host":
            problem("is privileged or shares the host's network or PIDs")
        if "no-new-privileges:true" not in (service.get("security_opt") or []):
            problem("lacks security_opt no-new-privileges:true")
        if ours:
            if service.get("read_only") is not True:
                problem("our images run with a read-only root filesystem (read_only: true)")
            if "ALL" not in (service.get("cap_drop") or []):
                problem("our images drop every capability (cap_drop: [ALL])")
            if not any(str(t).split(":")[0] == "/tmp" for t in service.get("tmpfs") or []):  # noqa: S108
                problem("needs a tmpfs on /tmp (read-only root filesystem)")

        if name != "web" and service.get("ports"):
            problem("publishes ports; only the gateway (web) is published in production")

    for name in sorted(EMAIL_RENDERERS - set(services)):
        problems.append(f"compose.yaml: {name} (renders emails) is missing")
    redis_command = " ".join(services.get("redis", {}).get("command") or [])
    if "--requirepass" not in redis_command or "--appendonly yes" not in redis_command:
        problems.append("compose.yaml: redis: must run with --requirepass and --appendonly yes")
    for name, path in (("redis", "/data"), ("db", "/var/lib/postgresql/data")):
        targets = [
            str(v.get("target") if isinstance(v, dict) else v.split(":")[1])
            for v in services.get(name, {}).get("volumes") or []
        ]
        if path not in targets:
            problems.append(f"compose.yaml: {name}: keeps its data in a named volume at {path}")
    api_waits = (services.get("api", {}).get("depends_on") or {}).get("migrate", {}).get("condition")
    if api_waits != "service_completed_successfully":
        problems.append("compose.yaml: api: must wait for migrate to complete successfully")


def check_development(config, problems):
    services = config["services"]
    if "mailhog" not in services:
        problems.append("compose.override.yaml: the development stack has no mail catcher (mailhog)")
    for name, service in services.items():
        for port in service.get("ports") or []:
            host_ip = port.get("host_ip") if isinstance(port, dict) else str(port).rsplit(":", 2)[0]
            if host_ip != "127.0.0.1":
                problems.append(f"development: {name}: port {port} is not bound to 127.0.0.1")


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as production, open(argv[2]) as development:
        configs = yaml.safe_load(production), yaml.safe_load(development)
    problems = []
    check_production(configs[0], problems)
    check_development(configs[1], problems)
    for problem in problems:
        print(f"check_compose: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_compose: {len(configs[0]['services'])} production services keep every rule")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
