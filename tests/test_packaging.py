"""The container, without a Docker engine: the Dockerfile's rules, checked by reading it, and its
build and run steps, replayed — the wheel built as the builder stage builds it, the runtime lock and
the wheel installed as the final stage installs them into a fresh virtualenv, then started and
probed with its HEALTHCHECK. Also the compose file's shape (replicas, Redis, dxsim, a load
balancer), `.dockerignore`, and the hash-locked requirements files the image and `make` install."""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml  # type: ignore[import-untyped]
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
DEV_TOOLS = ("pytest", "ruff", "mypy", "hypothesis", "schemathesis", "awscli", "import-linter")
RUN_LOCK = ROOT / "requirements" / "run.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"


# -- reading the Dockerfile ------------------------------------------------------------------


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str:
        found = self.all(keyword)
        assert found, f"stage {self.name or self.base} has no {keyword}"
        return found[-1]


def parse_dockerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """(global ARG defaults, stages): each instruction joined across `\\` continuations."""
    logical: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for instruction in logical:
        keyword, _, rest = instruction.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            parts = rest.split()
            base = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), parts[0])
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(base=base, name=name))
        elif not stages and keyword == "ARG":
            key, _, value = rest.partition("=")
            args[key] = value
        else:
            assert stages, f"{keyword} before the first FROM"
            stages[-1].instructions.append((keyword, rest))
    return args, stages


def env_of(stage: Stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for args in stage.all("ENV"):
        for item in shlex.split(args):
            key, _, value = item.partition("=")
            env[key] = value
    return env


def exec_form(args: str) -> list[str]:
    import json

    value = json.loads(args)
    assert isinstance(value, list), f"not the exec (JSON) form: {args}"
    return [str(item) for item in value]


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile(DOCKERFILE.read_text())[1]


def test_dockerfile_builds_a_wheel_then_installs_the_runtime_lock_and_only_the_wheel_on_311(
    stages: list[Stage],
) -> None:
    builder, final = stages[0], stages[-1]
    assert len(stages) == 2
    assert builder.name == "builder"
    for stage in stages:
        assert re.fullmatch(r"python:3\.11[\w.-]*-slim[\w.-]*", stage.base), stage.base
    assert any("pip wheel --no-deps" in run for run in builder.all("RUN"))
    installs = [run for run in final.all("RUN") if "pip install" in run]
    assert len(installs) == 2
    # first every runtime dependency, from the hash-locked file bound from the build context ...
    lock, wheel = installs
    assert "from=" not in lock
    assert "source=requirements," in lock
    assert re.search(
        r"pip install (--no-cache-dir )?--require-hashes -r /requirements/run\.txt$", lock
    )
    # ... then the project's wheel from the builder, alone: pip may fetch nothing for it
    assert "from=builder" in wheel
    assert re.search(r"pip install (--no-cache-dir )?--no-deps /wheels/dxgraph-\*\.whl$", wheel)
    # the final stage gets nothing else from the source tree: no COPY of code, no dev extras
    assert final.all("COPY") == []
    assert all("[dev]" not in run and ".[" not in run for run in final.all("RUN"))
    assert all("dev.txt" not in run for run in final.all("RUN"))


def test_dockerfile_runs_as_a_non_root_user_with_a_healthcheck_on_healthz(
    stages: list[Stage],
) -> None:
    final = stages[-1]
    user = final.last("USER").split(":")[0]
    assert user not in ("root", "0")
    health = final.last("HEALTHCHECK")
    options, _, command = health.partition("CMD ")
    assert "--interval" in options
    probe = exec_form(command)
    assert probe[:2] == ["python", "-c"]
    assert "urllib.request" in probe[2]
    assert "/healthz" in probe[2]
    assert "curl" not in health
    assert not [r for r in final.all("RUN") if "curl" in r]


def test_dockerfile_serves_on_port_8000_of_all_interfaces_configured_only_by_env(
    stages: list[Stage],
) -> None:
    final = stages[-1]
    assert final.last("EXPOSE") == "8000"
    command = exec_form(final.last("ENTRYPOINT")) + exec_form(final.last("CMD"))
    assert command == ["dxgraph", "serve", "--host", "0.0.0.0"]
    env = env_of(final)
    assert env["DXGRAPH_PORT"] == "8000"
    assert all(key.startswith(("DXGRAPH_", "PYTHON", "PIP_")) for key in env)
    assert not [key for key in env if re.search(r"KEY|SECRET|TOKEN|PASSWORD", key)]
    text = DOCKERFILE.read_text()
    assert "DXGRAPH_INSECURE=true" in text  # the refusal to run open on 0.0.0.0 is explained


# -- the build context --------------------------------------------------------------------------


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert not [p for p in patterns if p.startswith("!")], "exceptions are not modelled here"
    return patterns


def ignored(relative: str, patterns: list[str]) -> bool:
    """Docker's rule, near enough: a path is left out when it or a parent matches a pattern."""
    parts = relative.split("/")
    for end in range(1, len(parts) + 1):
        prefix = "/".join(parts[:end])
        for pattern in patterns:
            if fnmatch.fnmatchcase(prefix, pattern):
                return True
            if pattern.startswith("**/"):
                tail = pattern[3:]
                if any(
                    fnmatch.fnmatchcase("/".join(parts[start:end]), tail) for start in range(end)
                ):
                    return True
    return False


def test_dockerignore_keeps_secrets_local_state_and_caches_out_of_the_context() -> None:
    patterns = dockerignore()
    for path in (".env", ".git/config", ".venv/bin/python", ".dxgraph/dxsim.sqlite3"):
        assert ignored(path, patterns), path
    for path in ("gql/__pycache__/app.cpython-311.pyc", "dxsim/x.sqlite3", "tests/conftest.py"):
        assert ignored(path, patterns), path
    for path in (
        "pyproject.toml",
        "README.md",
        "requirements/run.txt",
        "gql/app.py",
        "gql/http/static/graphiql/graphiql.min.js",
    ):
        assert not ignored(path, patterns), path


def builder_context(stage: Stage, destination: Path) -> Path:
    """The builder's WORKDIR after its COPY instructions, from the repository and .dockerignore."""
    patterns = dockerignore()
    workdir = destination / stage.last("WORKDIR").lstrip("/")
    workdir.mkdir(parents=True)
    for copy in stage.all("COPY"):
        *sources, target = copy.split()
        assert not [s for s in sources if s.startswith("--")], copy
        for source in sources:
            origin = ROOT / source
            if origin.is_file():
                out = workdir / target
                shutil.copy2(origin, out / origin.name if target.endswith("/") else out)
                continue
            for path in sorted(origin.rglob("*")):
                relative = path.relative_to(ROOT).as_posix()
                if path.is_file() and not ignored(relative, patterns):
                    out = workdir / target / path.relative_to(origin)
                    out.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, out)
    return workdir


# -- the image, replayed in a virtualenv ---------------------------------------------------------


@dataclass
class Installed:
    wheel: Path
    venv: Path
    env: dict[str, str]
    home: Path

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)


def pip_for(venv: Path) -> list[str]:
    return [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", str(venv)]


def run_step(command: list[str], cwd: Path, timeout: float = 240) -> None:
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (
        f"{shlex.join(command)}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    )


@pytest.fixture(scope="module")
def installed(stages: list[Stage], tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("image")
    builder, final = stages[0], stages[-1]

    # builder stage: its RUN line, with the container's /wheels in the temporary folder
    source = builder_context(builder, root / "builder")
    wheels = root / "wheels"
    (build,) = [run for run in builder.all("RUN") if "pip wheel" in run]
    command = [part.replace("/wheels", str(wheels)) for part in shlex.split(build)]
    assert command[0] == "pip"
    run_step([sys.executable, "-m", *command], cwd=source)
    (wheel,) = wheels.glob("dxgraph-*.whl")

    # final stage: its pip install lines in order (the runtime lock, then the wheel), into a fresh
    # virtualenv of this Python, each bind mount's target read from where it binds: the builder's
    # /wheels from the temporary folder, anything else from the repository. Run by the test
    # environment's pip (`--python`: a virtualenv without pip of its own is made in 0.5 s, not 12);
    # pip's download cache and no byte-compiling (--no-cache-dir only keeps the image layer small)
    venv = root / "venv"
    run_step([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=root)
    for install in [run for run in final.all("RUN") if "pip install" in run]:
        words = shlex.split(install)
        mounts: dict[str, Path] = {}
        while words[0].startswith("--mount="):
            options = dict(item.split("=", 1) for item in words.pop(0)[8:].split(","))
            assert options["type"] == "bind", options
            origin = options.get("from")
            assert origin in (None, "builder"), options
            source = wheels if origin else ROOT / options["source"]
            assert origin or not ignored(options["source"], dockerignore()), options
            mounts[options["target"].rstrip("/")] = source
        assert words[:2] == ["pip", "install"], install
        pip_args = [arg for arg in words[1:] if arg != "--no-cache-dir"]
        for index, arg in enumerate(pip_args):
            for target, source in mounts.items():
                if arg == target or arg.startswith(f"{target}/"):
                    (local,) = glob.glob(str(source) + arg[len(target) :])
                    pip_args[index] = local
        run_step([*pip_for(venv), *pip_args, "--no-compile"], root)

    home = root / "home"  # the image's WORKDIR and state folder
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DXGRAPH_", "AWS_"))}
    env.update(env_of(final))
    env["DXGRAPH_SIM_STATE_DIR"] = str(home)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    return Installed(wheel=wheel, venv=venv, env=env, home=home)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def serving(installed: Installed) -> Iterator[tuple[str, dict[str, str]]]:
    """`dxgraph serve` from the virtualenv (embedded dxsim, state in the image's WORKDIR)."""
    port = free_port()
    env = dict(installed.env, DXGRAPH_PORT=str(port))
    process = subprocess.Popen(
        [installed.bin("dxgraph"), "serve", "--host", "127.0.0.1"],
        cwd=installed.home,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    pytest.fail(f"dxgraph serve exited: {process.communicate()[0]}")
                assert time.monotonic() < deadline, "dxgraph serve did not start in 30 s"
                time.sleep(0.2)
        yield url, env
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_wheel_built_as_the_builder_stage_holds_the_code_and_its_package_data(
    installed: Installed,
) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for module in ("gql/http/app.py", "gql/cli.py", "resolvers/aws/client.py", "dxsim/server.py"):
        assert module in names
    for asset in (
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "page.html",
        "page-logic.js",
        "page.js",
        "examples/topology.graphql",
        "examples/provisioning.json",
    ):
        assert f"gql/http/static/graphiql/{asset}" in names
    assert not [name for name in names if name.startswith("tests/") or "__pycache__" in name]


def test_installed_image_has_runtime_dependencies_and_no_dev_extras(installed: Installed) -> None:
    listing = subprocess.run(
        [*pip_for(installed.venv), "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()
    packages = {line.split("==")[0] for line in listing.splitlines()}
    assert {"dxgraph", "boto3", "strawberry-graphql", "uvicorn", "redis"} <= packages
    assert not [tool for tool in DEV_TOOLS if tool in packages]


def test_installed_image_serves_healthz_graphql_and_offline_graphiql(
    serving: tuple[str, dict[str, str]],
) -> None:
    url, _ = serving
    assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
    body = httpx.post(
        f"{url}/graphql", json={"query": "{ regions lags { lagName } }"}, timeout=30
    ).json()
    assert "errors" not in body, body
    assert body["data"]["regions"] == ["us-east-1", "us-west-2"]
    assert {lag["lagName"] for lag in body["data"]["lags"]} == {"core-iad", "edge-den"}
    page = httpx.get(f"{url}/graphql", headers={"Accept": "text/html"}, timeout=5).text
    assert "/graphiql-assets/graphiql.min.js" in page
    asset = httpx.get(f"{url}/graphiql-assets/graphiql.min.js", timeout=10)
    assert asset.status_code == 200
    assert len(asset.content) > 1_000_000


def test_the_dockerfile_healthcheck_command_passes_against_the_running_gateway(
    stages: list[Stage], installed: Installed, serving: tuple[str, dict[str, str]]
) -> None:
    _, env = serving
    probe = exec_form(stages[-1].last("HEALTHCHECK").partition("CMD ")[2])
    done = subprocess.run(
        [installed.bin(probe[0]), *probe[1:]], env=env, capture_output=True, timeout=10
    )
    assert done.returncode == 0, done.stderr
    # and it fails when nothing listens there
    down = dict(env, DXGRAPH_PORT=str(free_port()))
    refused = subprocess.run(
        [installed.bin(probe[0]), *probe[1:]], env=down, capture_output=True, timeout=10
    )
    assert refused.returncode != 0


def test_the_image_command_refuses_to_serve_all_interfaces_without_authentication(
    stages: list[Stage], installed: Installed
) -> None:
    final = stages[-1]
    command = exec_form(final.last("ENTRYPOINT")) + exec_form(final.last("CMD"))
    env = dict(installed.env, DXGRAPH_PORT=str(free_port()))
    done = subprocess.run(
        [installed.bin(command[0]), *command[1:]],
        cwd=installed.home,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert "DXGRAPH_INSECURE=true" in done.stderr


def test_the_image_runs_the_simulator_for_compose(installed: Installed) -> None:
    process = subprocess.Popen(
        [installed.bin("dxgraph"), "sim", "--host", "127.0.0.1", "--port", "0", "--seed", "demo"],
        cwd=installed.home,
        env=installed.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = None
        deadline = time.monotonic() + 20
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            match = re.search(r"http://127\.0\.0\.1:\d+", line)
            url = match.group(0) if match else None
            assert line or process.poll() is None, "dxgraph sim exited"
        assert url, "dxgraph sim printed no URL"
        assert httpx.get(f"{url}/_dxsim/health", timeout=5).json() == {"status": "ok"}
    finally:
        process.terminate()
        process.communicate(timeout=10)


# -- the locks: requirements/run.txt (the image, `make run`), requirements/dev.txt (`make test`) -


def locked(path: Path) -> dict[str, str]:
    """{name: version} of a `make lock` file, each entry checked to be pinned with its hashes."""
    entries = re.split(r"\n(?=\S)", path.read_text())
    pins: dict[str, str] = {}
    for entry in entries:
        if entry.startswith("#") or not entry.strip():
            continue
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+) \\\n", entry)
        assert match, f"{path.name}: not an exact pin: {entry[:80]!r}"
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), f"{path.name}: no hash: {entry}"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_locks_pin_with_hashes_what_pyproject_asks_and_dev_keeps_the_runtime_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    run, dev = locked(RUN_LOCK), locked(DEV_LOCK)
    # a dependency added to or narrowed in pyproject.toml without `make lock` fails here
    for lock, wanted in (
        (run, project["dependencies"]),
        (dev, project["optional-dependencies"]["dev"]),
    ):
        for text in wanted:
            requirement = Requirement(text)
            name = canonicalize_name(requirement.name)
            assert name in lock, f"{name} is not locked: run `make lock`"
            assert requirement.specifier.contains(lock[name], prereleases=True), (name, lock[name])
    # the tests run exactly the versions the image and `make run` install, and those are lean
    assert {name: dev[name] for name in run} == run
    assert not [tool for tool in DEV_TOOLS if tool in run]
    assert set(DEV_TOOLS) <= set(dev)


# -- docker-compose.yml ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_runs_replicated_gateways_on_redis_and_dxsim_behind_nginx(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert set(services) >= {"gateway", "redis", "dxsim", "lb"}
    gateway = services["gateway"]
    assert gateway["build"] == "."
    assert gateway["deploy"]["replicas"] >= 2
    assert "command" not in gateway  # the image's: dxgraph serve --host 0.0.0.0
    env = gateway["environment"]
    assert env["DXGRAPH_CACHE_BACKEND"] == "redis"
    assert env["DXGRAPH_REDIS_URL"] == "redis://redis:6379/0"
    assert env["DXGRAPH_DX_ENDPOINT"] == "http://dxsim:8799"
    assert "ports" not in gateway  # reached only through the load balancer
    assert set(gateway["depends_on"]) == {"redis", "dxsim"}

    dxsim = services["dxsim"]
    assert dxsim["command"][:3] == ["sim", "--host", "0.0.0.0"]
    assert "8799" in dxsim["command"]
    assert "/_dxsim/health" in " ".join(dxsim["healthcheck"]["test"])
    assert services["redis"]["image"].startswith("redis:")

    lb = services["lb"]
    assert lb["image"].startswith("nginx:")
    assert lb["depends_on"]["gateway"]["condition"] == "service_healthy"
    nginx = compose["configs"]["nginx"]["content"]
    assert "server gateway:8000" in nginx
    assert "proxy_pass http://dxgraph;" in nginx
    # every nginx variable is escaped from compose's interpolation
    assert not re.search(r"(?<!\$)\$[a-z_]", nginx)


def test_compose_gateways_get_credentials_only_from_the_environment(
    compose: dict[str, Any],
) -> None:
    env = compose["services"]["gateway"]["environment"]
    assert env["DXGRAPH_API_KEYS"] == "${DXGRAPH_API_KEYS:-}"
    assert env["DXGRAPH_INSECURE"] == "${DXGRAPH_INSECURE:-false}"
    text = (ROOT / "docker-compose.yml").read_text()
    assert not re.search(r'"sha256":\s*"[0-9a-f]{64}"', text)


def test_readme_shows_the_container_and_compose_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "docker build -t dxgraph ." in readme
    assert "docker compose up" in readme
    assert "docs/graphiql.png" in readme
    assert (ROOT / "docs" / "graphiql.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (ROOT / "docs" / "iam-policy.json").is_file()


# -- docs/iam-policy.json -------------------------------------------------------------------------


def test_iam_policies_grant_exactly_the_45_direct_connect_operations_read_only_or_read_write() -> (
    None
):
    import json

    from dxsim.backend import REFERENCE_OPERATIONS as OPERATIONS  # what the gateway calls

    policies = json.loads((ROOT / "docs" / "iam-policy.json").read_text())

    def actions(name: str) -> set[str]:
        document = policies[name]
        assert document["Version"] == "2012-10-17"
        granted: set[str] = set()
        for statement in document["Statement"]:
            assert statement["Effect"] == "Allow"
            listed = statement["Action"]
            granted |= {listed} if isinstance(listed, str) else set(listed)
        return granted

    reads = {f"directconnect:{op}" for op in OPERATIONS if op.startswith("Describe")}
    everything = {f"directconnect:{op}" for op in OPERATIONS}
    assert len(reads) == 15
    assert len(everything) == 45
    assert actions("readOnly") == reads | {"ec2:DescribeVpnGateways"}
    assert actions("readWrite") == everything | {"ec2:DescribeVpnGateways"}
    assert actions("assumeCallerRoles") == {"sts:AssumeRole"}
    assert not [a for name in ("readOnly", "readWrite") for a in actions(name) if "*" in a]
    trust = policies["callerRoleTrustPolicy"]["Statement"][0]
    assert trust["Action"] == "sts:AssumeRole"
