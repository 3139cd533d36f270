"""The rules every pod of this platform keeps, checked on rendered manifests (check.sh runs it).

checkov covers most of them in general terms; this holds the ones it misses or cannot know:
runAsNonRoot set explicitly, the users the images were built for, and grace periods that cover
the shutdown timeouts configured in the ConfigMap.

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


def problems(docs):
    config = {}
    for doc in docs:
        if doc["kind"] == "ConfigMap" and doc["metadata"]["name"].startswith("auth-platform-config"):
            config = doc.get("data") or {}
    for doc in docs:
        if doc["kind"] not in WORKLOAD_KINDS:
            continue
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
