"""The images of the compose test: which third-party images our files use, getting them (pulled
from a registry, or stand-ins built from Debian packages where no registry is reachable), our
own builds with their size and time, and what must never be inside our images."""

from __future__ import annotations

import concurrent.futures
import hashlib
import re
import shutil
import socket
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.compose.engine import PrivateEngine, remove_tree, run

HERE = Path(__file__).resolve().parent
STANDINS = HERE / "standins"
# Built first: the other stand-ins start FROM it (node also from the python stand-in).
DEBIAN_BASE = "auth-platform-standin/debian:bookworm"
SUITE = "bookworm"
RECIPE_LABEL = "org.auth-platform.standin.recipe"
# Version of the base recipe below: bump it when build_debian_base changes.
BASE_RECIPE_VERSION = "1"
# Builds at a time: on 2 cores, downloads and unpacking of one overlap the CPU of another.
PARALLEL_BUILDS = 3
# Docker Hub: the registry, its token service and the storage its blobs are redirected to.
REGISTRY_HOSTS = {"registry-1.docker.io", "auth.docker.io", ".docker.com", ".cloudflarestorage.com"}
PACKAGE_REGISTRY_HOSTS = {"pypi.org", "files.pythonhosted.org", "registry.npmjs.org"}


class BuildFailed(RuntimeError):
    pass


@dataclass
class Built:
    image: str
    kind: str  # "ours", "stand-in", "pulled"
    seconds: float
    size_bytes: int = 0


# ---- which images ---------------------------------------------------------------------------
@dataclass
class OurBuild:
    image: str
    context: Path
    dockerfile: Path


def our_builds(config: dict) -> list[OurBuild]:
    """The images compose builds (services with build:), one per image name."""
    builds: dict[str, OurBuild] = {}
    for service in config["services"].values():
        build = service.get("build")
        if build is None:
            continue
        context = Path(build["context"] if isinstance(build, dict) else build)
        dockerfile = context / (build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile")
        builds.setdefault(service["image"], OurBuild(service["image"], context, dockerfile))
    return list(builds.values())


def from_images(dockerfile: Path) -> list[str]:
    """The images a Dockerfile starts FROM (not its own stages, not scratch)."""
    stages: set[str] = set()
    images = []
    for line in dockerfile.read_text().splitlines():
        match = re.match(r"\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if not match:
            continue
        image, stage = match.group(1), match.group(2)
        if image.lower() not in stages and image != "scratch" and image not in images:
            images.append(image)
        if stage:
            stages.add(stage.lower())
    return images


def third_party_images(config: dict) -> list[str]:
    """Every base image of our Dockerfiles and every image: of a service compose does not build."""
    builds = our_builds(config)
    ours = {build.image for build in builds}
    images: list[str] = []
    for build in builds:
        images += [image for image in from_images(build.dockerfile) if image not in images]
    for service in config["services"].values():
        image = service.get("image")
        if image and image not in ours and "build" not in service and image not in images:
            images.append(image)
    return images


# ---- registry or stand-ins ------------------------------------------------------------------
def registry_reachable() -> bool:
    """Docker Hub's name resolves. One DNS question, no connection: where it does not resolve
    (a machine without a container registry), nothing is sent to it."""
    try:
        socket.getaddrinfo("registry-1.docker.io", 443, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return True


def pull(engine: PrivateEngine, images: list[str]) -> list[Built]:
    assert engine.gateway is not None
    engine.gateway.allow(*REGISTRY_HOSTS)
    pulled = []
    for image in images:
        started = time.monotonic()
        result = engine.docker("pull", "--quiet", image, check=False, timeout=900)
        if result.returncode != 0:
            raise BuildFailed(f"docker pull {image}:\n{result.stdout}{result.stderr}")
        pulled.append(Built(image, "pulled", time.monotonic() - started))
    return pulled


def standin_for(image: str) -> Path:
    """The stand-in folder for an image: by its repository's last name, and it must say
    ("# Stands in for: ...") that it stands in for this very tag."""
    name = image.split(":", 1)[0].rsplit("/", 1)[-1]
    folder = STANDINS / name
    dockerfile = folder / "Dockerfile"
    if not dockerfile.exists():
        raise BuildFailed(f"no stand-in for {image}: add {folder.relative_to(HERE.parents[1])}/Dockerfile")
    declared = re.findall(r"^# Stands in for: (.+)$", dockerfile.read_text(), re.M)
    tags = {tag.strip() for line in declared for tag in line.split(",")}
    if image not in tags:
        raise BuildFailed(
            f"{folder.relative_to(HERE.parents[1])} stands in for {', '.join(sorted(tags))}, "
            f"not {image}: check that it still honours what our files use of {image}, then "
            "add the tag to its '# Stands in for:' line"
        )
    return folder


def _sources() -> list[tuple[str, list[str]]]:
    """(URI, suites) of the machine's enabled Debian sources (deb822 .sources and .list)."""
    found = []
    apt = Path("/etc/apt")
    for path in sorted((apt / "sources.list.d").glob("*.sources")):
        for stanza in path.read_text().split("\n\n"):
            fields = dict(re.findall(r"^(\w[\w-]*):\s*(.+)$", stanza, re.M))
            if "deb" in fields.get("Types", "").split() and fields.get("Enabled", "yes") != "no":
                found += [(uri, fields.get("Suites", "").split()) for uri in fields.get("URIs", "").split()]
    for path in [apt / "sources.list", *sorted((apt / "sources.list.d").glob("*.list"))]:
        if path.exists():
            for line in path.read_text().splitlines():
                match = re.match(r"\s*deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+(\S+)", line)
                if match:
                    found.append((match.group(1), [match.group(2)]))
    return found


def debian_mirrors() -> tuple[str, str | None]:
    """The machine's Debian mirror for bookworm and, if it has one, its security mirror."""
    sources = _sources()
    main = next((uri for uri, suites in sources if SUITE in suites), None)
    if main is None:
        raise BuildFailed(f"no Debian {SUITE} source in /etc/apt/sources.list(.d): cannot debootstrap a base image")
    security = next((uri for uri, suites in sources if f"{SUITE}-security" in suites), None)
    return main.rstrip("/"), security.rstrip("/") if security else None


def mirror_hosts() -> set[str]:
    main, security = debian_mirrors()
    return {re.sub(r"^\w+://([^/:]+).*$", r"\1", uri) for uri in (main, security) if uri}


def _machine_cas() -> list[Path]:
    return sorted(Path("/usr/local/share/ca-certificates").glob("**/*.crt"))


def _base_recipe() -> str:
    main, security = debian_mirrors()
    digest = hashlib.sha256(f"{BASE_RECIPE_VERSION} {main} {security}".encode())
    for ca in _machine_cas():
        digest.update(ca.read_bytes())
    return digest.hexdigest()[:16]


def _label(engine: PrivateEngine, image: str) -> str | None:
    result = engine.docker(
        "image", "inspect", "--format", f'{{{{index .Config.Labels "{RECIPE_LABEL}"}}}}', image, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else None


def build_debian_base(engine: PrivateEngine) -> Built | None:
    """Debian 12 minbase from the machine's mirror (debootstrap), trusting what the machine
    trusts (its local CAs: an intercepting proxy's, in some sandboxes), imported as DEBIAN_BASE.
    Kept in the engine's cache; rebuilt only when its recipe changes."""
    recipe = _base_recipe()
    if _label(engine, DEBIAN_BASE) == recipe:
        return None
    started = time.monotonic()
    main, security = debian_mirrors()
    root = Path(tempfile.mkdtemp(prefix="standin-debian-", dir="/var/tmp"))
    try:
        result = run(
            "debootstrap",
            "--variant=minbase",
            "--include=ca-certificates",
            SUITE,
            str(root),
            main,
            check=False,
            timeout=900,
        )
        if result.returncode != 0:
            raise BuildFailed(f"debootstrap {SUITE} from {main}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        cas = root / "usr/local/share/ca-certificates"
        for ca in _machine_cas():
            shutil.copy(ca, cas / ca.name)
        run("chroot", str(root), "update-ca-certificates", "--fresh")
        stanzas = [
            f"Types: deb\nURIs: {main}\nSuites: {SUITE} {SUITE}-updates\nComponents: main\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        ]
        if security:
            stanzas.append(
                f"Types: deb\nURIs: {security}\nSuites: {SUITE}-security\nComponents: main\n"
                "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
            )
        (root / "etc/apt/sources.list").unlink(missing_ok=True)
        (root / "etc/apt/sources.list.d/debian.sources").write_text("\n".join(stanzas))
        # What Debian's own container images set up: no services started by package scripts,
        # no apt caches, no documentation (the -slim images).
        (root / "usr/sbin/policy-rc.d").write_text("#!/bin/sh\nexit 101\n")
        (root / "usr/sbin/policy-rc.d").chmod(0o755)
        (root / "etc/apt/apt.conf.d/docker-clean").write_text(
            'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };\n'
            'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";\n'
        )
        (root / "etc/dpkg/dpkg.cfg.d/docker-slim").write_text(
            "\n".join(
                [
                    "path-exclude /usr/share/doc/*",
                    "path-include /usr/share/doc/*/copyright",
                    "path-exclude /usr/share/man/*",
                    "path-exclude /usr/share/groff/*",
                    "path-exclude /usr/share/info/*",
                    "path-exclude /usr/share/lintian/*",
                    "path-exclude /usr/share/linda/*",
                    "path-exclude /usr/share/locale/*",
                    "",
                ]
            )
        )
        for leftover in ("var/lib/apt/lists", "var/cache/apt/archives", "usr/share/man", "usr/share/info"):
            for path in (root / leftover).glob("*"):
                if path.is_file():
                    path.unlink()
        (root / "etc/resolv.conf").write_text("")  # the engine provides its own
        tar = subprocess.Popen(
            [
                "tar",
                "-C",
                str(root),
                "--numeric-owner",
                "--exclude=./dev/*",
                "--exclude=./proc/*",
                "--exclude=./sys/*",
                "-c",
                ".",
            ],
            stdout=subprocess.PIPE,
        )
        imported = subprocess.run(
            [
                "docker",
                "import",
                "--change",
                f"LABEL {RECIPE_LABEL}={recipe}",
                "--change",
                'CMD ["bash"]',
                "--change",
                "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "-",
                DEBIAN_BASE,
            ],
            stdin=tar.stdout,
            capture_output=True,
            text=True,
            env=engine.env,
            timeout=600,
        )
        assert tar.stdout is not None
        tar.stdout.close()
        tar.wait()
        if imported.returncode != 0 or tar.returncode != 0:
            raise BuildFailed(f"docker import of the Debian base: {imported.stderr}")
    finally:
        remove_tree(root)
    return Built(DEBIAN_BASE, "stand-in", time.monotonic() - started)


def earlier_stages(dockerfile: Path) -> list[str]:
    """The named stages of a multi-stage Dockerfile before its last one."""
    names = [
        match.group(1)
        for match in re.finditer(r"^\s*FROM\s+\S+\s+AS\s+(\S+)", dockerfile.read_text(), re.IGNORECASE | re.MULTILINE)
    ]
    stages = len(re.findall(r"^\s*FROM\s", dockerfile.read_text(), re.IGNORECASE | re.MULTILINE))
    return names[: stages - 1] if names and stages > 1 else []


def docker_build(engine: PrivateEngine, tag: str, context: Path, dockerfile: Path | None = None) -> float:
    """docker build as docker compose does it (the classic builder, the default network, no
    build arguments: the same cache keys); its own output is shown when it fails. The earlier
    stages are tagged too (auth-platform-cache/...), so that pruning dangling images at the end
    of a run keeps the layers the next run's builds start from (a virtualenv, node_modules)."""
    started = time.monotonic()
    dockerfile = dockerfile or context / "Dockerfile"
    for target in [*earlier_stages(dockerfile), None]:
        name = tag if target is None else f"auth-platform-cache/{re.sub(r'[^a-z0-9]+', '-', tag.lower())}:{target}"
        stage = ["--target", target] if target else []
        result = engine.docker(
            "build", *stage, "--tag", name, "--file", str(dockerfile), str(context), check=False, timeout=1500
        )
        if result.returncode != 0:
            # Without the client's notice that the classic builder is deprecated (it is what
            # docker-compose 1.29 uses): the build's own error is the last line.
            output = [
                line
                for line in re.sub(
                    r"DEPRECATED: The legacy builder.*?variable\.\n", "", result.stdout + result.stderr, flags=re.S
                ).splitlines()
            ]
            raise BuildFailed(f"docker build of {tag} ({context}) failed:\n" + "\n".join(output[-60:]))
    return time.monotonic() - started


def build_standins(engine: PrivateEngine, images: list[str]) -> list[Built]:
    """A stand-in for each image, tagged with its very name; python first (node builds FROM it).
    Docker's layer cache in the engine's data root makes an unchanged stand-in a no-op."""
    built = []
    base = build_debian_base(engine)
    if base is not None:
        built.append(base)
    ordered = sorted(images, key=lambda image: (not image.startswith("python:"), image))
    folders = {image: standin_for(image) for image in ordered}
    if any(folder.name == "node" for folder in folders.values()) and not any(i.startswith("python:") for i in ordered):
        raise BuildFailed("the node stand-in builds FROM the python stand-in, which none of our files uses")
    # Mostly downloads and unpacking: PARALLEL_BUILDS at a time; node waits for python.
    with concurrent.futures.ThreadPoolExecutor(PARALLEL_BUILDS) as pool:
        first = {
            image: pool.submit(docker_build, engine, image, folders[image])
            for image in ordered
            if folders[image].name != "node"
        }
        python = next((future for image, future in first.items() if image.startswith("python:")), None)
        if python is not None:
            python.result()
        later = {
            image: pool.submit(docker_build, engine, image, folders[image])
            for image in ordered
            if folders[image].name == "node"
        }
        futures = {**first, **later}
        built += [Built(image, "stand-in", futures[image].result()) for image in ordered]
    return built


# ---- our images -----------------------------------------------------------------------------
def build_ours(engine: PrivateEngine, builds: list[OurBuild]) -> list[Built]:
    with concurrent.futures.ThreadPoolExecutor(PARALLEL_BUILDS) as pool:
        futures = [pool.submit(docker_build, engine, build.image, build.context, build.dockerfile) for build in builds]
        return [Built(build.image, "ours", future.result()) for build, future in zip(builds, futures, strict=True)]


def add_sizes(engine: PrivateEngine, images: list[Built]) -> None:
    for image in images:
        result = engine.docker("image", "inspect", "--format", "{{.Size}}", image.image)
        image.size_bytes = int(result.stdout.strip())


def table(images: list[Built]) -> str:
    width = max(len(image.image) for image in images)
    lines = [
        f"{'image':<{width}}  {'kind':<8}  {'size':>9}  {'build s':>7}  (wall time, {PARALLEL_BUILDS} builds at a time)"
    ]
    for image in images:
        size = f"{image.size_bytes / 1e6:.1f} MB"
        lines.append(f"{image.image:<{width}}  {image.kind:<8}  {size:>9}  {image.seconds:>7.1f}")
    return "\n".join(lines)


# ---- what must not be in our images --------------------------------------------------------
# Build contexts: what each .dockerignore must keep out, when it exists in the working tree.
NEVER_SENT = (
    ".venv",
    "node_modules",
    "tests",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "dist",
    "coverage",
    "db.sqlite3",
    ".env",
    "requirements-dev.txt",
    "pytest.ini",
    "staticfiles",
)
# Image contents: (pattern on the path, why). Our code lives in /app and /usr/share/nginx/html.
FORBIDDEN = (
    (r"(^|/)\.venv(/|$)", "a virtualenv copied from a working tree"),
    (r"(^|/)node_modules(/|$)", "node_modules"),
    (
        r"^(app|usr/share/nginx/html|etc/gateway)/(.*/)?(tests?|__pycache__|\.pytest_cache|\.ruff_cache)(/|$)",
        "tests or caches of our code",
    ),
    (
        r"^(app|usr/share/nginx/html)/(.*/)?(test_[^/]*\.py|conftest\.py|pytest\.ini|requirements-dev\.txt|"
        r"[^/]*\.test\.[jt]sx?|db\.sqlite3|\.env)$",
        "a test, development or local file",
    ),
    (r"^root/\.(cache|npm)(/|$)", "a pip or npm cache"),
    (r"^var/lib/apt/lists/[^/]+$", "apt package lists"),
    (r"^var/cache/apt/archives/[^/]+\.deb$", "downloaded packages"),
    (r"^usr/(local/)?bin/((x86_64-linux-gnu-)?(gcc|g\+\+|cc|c\+\+)(-\d+)?|make|clang)$", "a compiler"),
)


def dockerignore_problems(builds: list[OurBuild]) -> list[str]:
    problems = []
    for build in builds:
        ignore = build.context / ".dockerignore"
        if not ignore.exists():
            problems.append(f"{build.context}: no .dockerignore")
            continue
        patterns = {
            line.strip().rstrip("/")
            for line in ignore.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        }
        for name in NEVER_SENT:
            present = list(build.context.glob(name)) + list(build.context.glob(f"*/**/{name}"))
            present = [p for p in present if ".venv" not in p.parts[:-1] and "node_modules" not in p.parts[:-1]]
            if present and not ({name, f"**/{name}"} & patterns):
                problems.append(f"{ignore}: does not exclude {name} (present: {present[0]})")
    return problems


def image_problems(engine: PrivateEngine, image: str) -> tuple[list[str], int]:
    """What FORBIDDEN finds in the image's file system, and how many paths it has."""
    created = engine.docker("create", image, "true").stdout.strip()
    try:
        export = subprocess.Popen(["docker", "export", created], stdout=subprocess.PIPE, env=engine.env)
        assert export.stdout is not None
        found: dict[str, str] = {}
        count = 0
        with tarfile.open(fileobj=export.stdout, mode="r|") as archive:
            for member in archive:
                count += 1
                path = member.name.lstrip("./")
                for pattern, why in FORBIDDEN:
                    if why not in found and re.search(pattern, path):
                        found[why] = path
        export.wait()
    finally:
        engine.docker("rm", "--force", created, check=False)
    return [f"{image}: {why} ({path})" for why, path in found.items()], count
