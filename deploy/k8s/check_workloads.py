"""The rules every pod of this platform keeps, checked on rendered manifests (check.sh runs it).

checkov covers most of them in general terms; this holds the ones it misses or cannot know:
runAsNonRoot set explicitly, the users the images were built for, grace periods that cover
the shutdown timeouts configured in the ConfigMap, and the operator's email templates mounted
read-only at EMAIL_TEMPLATES_DIR in every process that renders emails.

Usage: python check_workloads.py RENDERED.yaml...
"""

import sys

import yaml

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}
LONG_RUNNING_KINDS = {"Deployment", "StatefulSet", "DaemonSet"}
# The users the images are built with (USER in services/*/Dockerfile).
IMAGE_USERS = {"auth-platform/api": 10001, "auth-platform/mailer": 10001, "auth-platform/web": 101}
# How long each process may take to stop once SIGTERMed, from the rendered ConfigMap.
SHUTDOWN_SETTINGS = {"api": "GUNICORN_GRACEFUL_TIMEOUT", "mailer": "MAILER_SHUTDOWN_TIMEOUT_S"}
GRACE_MARGIN_S = 5
# The processes that render emails (Deployment: container), so read EMAIL_TEMPLATES_DIR.
EMAIL_RENDERERS = {"api": "api", "outbox-relay": "outbox-relay"}
TEMPLATES_CONFIG_MAP = "email-templates"


def pod_spec(doc):
    spec = doc["spec"]
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def image_user(image):
    for name, uid in IMAGE_USERS.items():
        if image.split("@")[0].rsplit(":", 1)[0].endswith(name):
            return uid
    return None


def container_problems(container, long_running):
    sc = container.get("securityContext") or {}
    expected = {
        "runAsNonRoot": True,
        "readOnlyRootFilesystem": True,
        "allowPrivilegeEscalation": False,
    }
    for key, value in expected.items():
        if sc.get(key) is not value:
            yield f"securityContext.{key} must be {str(value).lower()}"
    for key in ("runAsUser", "runAsGroup"):
        if not isinstance(sc.get(key), int) or sc[key] <= 0:
            yield f"securityContext.{key} must be an explicit non-root id"
    if (sc.get("capabilities") or {}).get("drop") != ["ALL"] or (sc.get("capabilities") or {}).get("add"):
        yield "securityContext.capabilities must drop ALL and add none"
    if (sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        yield "securityContext.seccompProfile.type must be RuntimeDefault"
    uid = image_user(container.get("image", ""))
    if uid is not None and (sc.get("runAsUser"), sc.get("runAsGroup")) != (uid, uid):
        yield f"must run as {uid}:{uid}, the image's user"
    resources = container.get("resources") or {}
    for bound in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            if resource not in (resources.get(bound) or {}):
                yield f"resources.{bound}.{resource} must be set"
    if long_running:
        for probe in ("livenessProbe", "readinessProbe"):
            if probe not in container:
                yield f"{probe} must be set"


def grace_problems(name, spec, config):
    setting = SHUTDOWN_SETTINGS.get(name)
    if setting is None:
        return
    if setting not in config:
        yield f"the ConfigMap has no {setting}"
        return
    pause = max(
        ((c.get("lifecycle") or {}).get("preStop") or {}).get("sleep", {}).get("seconds", 0) for c in spec["containers"]
    )
    needed = pause + int(config[setting]) + GRACE_MARGIN_S
    grace = spec.get("terminationGracePeriodSeconds", 30)
    if grace < needed:
        yield f"terminationGracePeriodSeconds {grace} < {needed}: preStop {pause} + {setting} + {GRACE_MARGIN_S}"


def email_templates_problems(name, spec, config, config_maps):
    """The templates' ConfigMap is mounted read-only where EMAIL_TEMPLATES_DIR points, whole."""
    container_name = EMAIL_RENDERERS.get(name)
    if container_name is None:
        return
    directory = config.get("EMAIL_TEMPLATES_DIR")
    if not directory:
        yield "the ConfigMap sets no EMAIL_TEMPLATES_DIR, and this Deployment renders emails"
        return
    container = next((c for c in spec["containers"] if c["name"] == container_name), None)
    mounts = [m for m in (container or {}).get("volumeMounts", []) if m.get("mountPath") == directory]
    if len(mounts) != 1:
        yield f"container {container_name} must mount the email templates at EMAIL_TEMPLATES_DIR ({directory})"
        return
    if mounts[0].get("readOnly") is not True or mounts[0].get("subPath"):
        yield f"container {container_name}: the email templates at {directory} must be readOnly, not a subPath"
    volume = next((v for v in spec.get("volumes", []) if v["name"] == mounts[0]["name"]), {})
    source = (volume.get("configMap") or {}).get("name", "")
    if not source.startswith(TEMPLATES_CONFIG_MAP) or source not in config_maps:
        yield f"volume {mounts[0]['name']} must be the rendered ConfigMap {TEMPLATES_CONFIG_MAP}, not {volume}"
        return
    # With items only the keys listed are mounted: a key left out would silently be ours again.
    items = volume["configMap"].get("items")
    listed, keys = sorted(item["key"] for item in items or []), sorted(config_maps[source])
    if items is not None and listed != keys:
        yield f"volume {mounts[0]['name']}: items list {listed}, the ConfigMap has {keys}"


def problems(docs):
    config = {}
    config_maps = {}
    for doc in docs:
        if doc["kind"] == "ConfigMap":
            data = {**(doc.get("data") or {}), **(doc.get("binaryData") or {})}
            config_maps[doc["metadata"]["name"]] = data
            if doc["metadata"]["name"].startswith("auth-platform-config"):
                config = data
    renderers = set(EMAIL_RENDERERS)
    for doc in docs:
        if doc["kind"] not in WORKLOAD_KINDS:
            continue
        if doc["kind"] == "Deployment":
            renderers.discard(doc["metadata"]["name"])
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        spec = pod_spec(doc)
        if spec.get("automountServiceAccountToken") is not False:
            yield f"{where}: automountServiceAccountToken must be false"
        if spec.get("serviceAccountName", "default") == "default":
            yield f"{where}: needs its own serviceAccountName"
        pod_sc = spec.get("securityContext") or {}
        if pod_sc.get("runAsNonRoot") is not True:
            yield f"{where}: pod securityContext.runAsNonRoot must be true"
        if (pod_sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
            yield f"{where}: pod securityContext.seccompProfile.type must be RuntimeDefault"
        for container in spec.get("initContainers", []):
            for problem in container_problems(container, long_running=False):
                yield f"{where} init container {container['name']}: {problem}"
        for container in spec["containers"]:
            for problem in container_problems(container, long_running=doc["kind"] in LONG_RUNNING_KINDS):
                yield f"{where} container {container['name']}: {problem}"
        for problem in grace_problems(doc["metadata"]["name"], spec, config):
            yield f"{where}: {problem}"
        for problem in email_templates_problems(doc["metadata"]["name"], spec, config, config_maps):
            yield f"{where}: {problem}"
    for name in sorted(renderers):
        yield f"Deployment/{name} (renders emails) is missing"


def main(paths):
    found = 0
    for path in paths:
        with open(path, encoding="utf-8") as rendered:
            docs = [doc for doc in yaml.safe_load_all(rendered) if doc]
        for problem in problems(docs):
            print(f"{path}: {problem}")
            found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
