"""deploy/: the systemd units, the nginx configuration, the Redis settings and the environment templates are
whole, and agree with the code and with each other."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from bot.lock_store import redis_settings
from services_catalogue.db import get_engine, session_scope
from services_catalogue.query import find_services
from services_catalogue.schema import migrate
from services_catalogue.seeding import seed
from tools import balancer
from tools.stack import ROOT

DEPLOY = ROOT / "deploy"
INSTALL_DIR = "/opt/bucks-dva"  # where deploy/README.md puts the checkout
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
TARGET = DEPLOY / "systemd" / "bucks-dva.target"
ENV_FILES = sorted((DEPLOY / "env").glob("*.env"))
CODE_PACKAGES = ("common", "bot", "actions", "services_catalogue", "website")
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectControlGroups": "yes",
    "RestrictNamespaces": "yes",
    "RestrictSUIDSGID": "yes",
    "LockPersonality": "yes",
    "CapabilityBoundingSet": "",
    "SystemCallArchitectures": "native",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    "UMask": "0077",
}
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|KEY")


def unit_file(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A unit file's sections as (key, value) lists: keys may repeat (EnvironmentFile=, Environment=)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        assert current is not None and "=" in line, f"{path.name}:{number}: not a setting: {line!r}"
        key, _, value = line.partition("=")
        current.append((key.strip(), value.strip()))
    return sections


def values(section: list[tuple[str, str]], key: str) -> list[str]:
    return [value for name, value in section if name == key]


def the(section: list[tuple[str, str]], key: str) -> str:
    found = values(section, key)
    assert len(found) == 1, f"{key}= appears {len(found)} times"
    return found[0]


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_every_service_runs_hardened_as_the_service_user_from_the_checkout(path):
    unit = unit_file(path)
    assert set(unit) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    # The admin, which owns the catalogue and holds its session key, runs apart from the public-facing services.
    user = "bucksdva-admin" if path.name == "bucks-dva-admin.service" else "bucksdva"
    assert the(service, "User") == the(service, "Group") == user
    assert the(service, "WorkingDirectory") == INSTALL_DIR
    assert the(unit["Install"], "WantedBy") == TARGET.name
    assert the(unit["Unit"], "PartOf") == TARGET.name
    for key, expected in HARDENING.items():
        assert the(service, key) == expected, key
    assert the(service, "Restart") == "on-failure"


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_every_command_is_one_of_the_project(path):
    """Programs from the checkout's virtualenv, modules that import and run, files that exist."""
    service = unit_file(path)["Service"]
    commands = values(service, "ExecStartPre") + values(service, "ExecStart")
    assert len(values(service, "ExecStart")) == 1
    for command in commands:
        program, *arguments = shlex.split(command.replace("%i", "5005"))
        assert program.startswith(f"{INSTALL_DIR}/.venv/bin/")
        assert os.access(ROOT / program.removeprefix(f"{INSTALL_DIR}/"), os.X_OK), program
        if "-m" in arguments:
            module = arguments[arguments.index("-m") + 1]
            spec = importlib.util.find_spec(module)
            assert spec is not None, module
            if spec.submodule_search_locations is not None:  # a package runs its __main__ module
                spec = importlib.util.find_spec(f"{module}.__main__")
            assert spec is not None and "__main__" in Path(spec.origin).read_text(), f"{module} does not run"
        for argument in arguments:
            if argument.endswith(".yml"):
                assert (ROOT / argument).is_file(), argument
            if argument.endswith(".tar.gz"):
                assert ROOT / argument == ROOT / "models" / "assistant.tar.gz"
            if re.fullmatch(r"[\w.]+:\w+\(\)", argument):  # gunicorn's application factory
                module, _, factory = argument.rstrip("()").partition(":")
                assert callable(getattr(importlib.import_module(module), factory))


def test_systemd_accepts_the_units(tmp_path):
    """`systemd-analyze verify` reports unknown settings, bad values and missing programs (in copies pointing
    at this checkout)."""
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    for path in [*UNITS, TARGET]:
        (tmp_path / path.name).write_text(path.read_text().replace(INSTALL_DIR, str(ROOT)))
    rasa = tmp_path / "bucks-dva-rasa@.service"
    rasa.rename(tmp_path / "bucks-dva-rasa@5005.service")
    names = sorted(str(path) for path in tmp_path.iterdir())
    verified = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )
    assert verified.returncode == 0 and verified.stderr == "", verified.stderr


def upstream_ports(site: str) -> set[int]:
    block = re.search(r"upstream bucks_dva_rasa \{(.*?)\}", site, re.S).group(1)
    return {int(port) for port in re.findall(r"server 127\.0\.0\.1:(\d+)", block)}


def test_the_target_starts_a_rasa_process_for_each_server_nginx_balances_over():
    wanted = the(unit_file(TARGET)["Unit"], "Wants").split()
    ports = {int(name.split("@")[1].split(".")[0]) for name in wanted if name.startswith("bucks-dva-rasa@")}
    assert len(ports) >= 2
    assert ports == upstream_ports((DEPLOY / "nginx" / "bucks-dva.conf").read_text())
    for path in UNITS:
        if "@" not in path.name:
            assert path.name in wanted


def _is_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _environment_read(node: ast.AST) -> ast.expr | None:
    """The name argument of os.environ.get(NAME), os.getenv(NAME), os.environ[NAME] or NAME in os.environ."""
    if (
        isinstance(node, ast.Call)
        and node.args
        and isinstance(node.func, ast.Attribute)
        and ((node.func.attr == "get" and _is_environ(node.func.value)) or node.func.attr == "getenv")
    ):
        return node.args[0]
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        return node.slice
    if isinstance(node, ast.Compare) and any(_is_environ(c) for c in node.comparators):
        return node.left
    return None


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_from(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def variables_the_code_reads() -> tuple[set[str], set[str]]:
    """Names of the environment variables the production code reads, and the files where a read's name could
    not be worked out. A function that reads the variable its caller names (local_secret(variable, path),
    whole_number(variable, default)) counts as a read wherever it is called by name."""
    trees = {
        path: ast.parse(path.read_text(), str(path))
        for path in sorted(p for package in CODE_PACKAGES for p in (ROOT / package).rglob("*.py"))
    }
    readers: dict[tuple[str, str], int] = {}  # (module, function): position of the argument naming the variable
    generic_reads = set()
    for path, tree in trees.items():
        for function in tree.body:
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            parameters = [argument.arg for argument in function.args.args]
            for node in ast.walk(function):
                argument = _environment_read(node)
                if isinstance(argument, ast.Name) and argument.id in parameters:
                    readers[(_module_name(path), function.name)] = parameters.index(argument.id)
                    generic_reads.add(node)
    names, unresolved = set(), set()
    for path, tree in trees.items():
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        visible = {name: position for (module, name), position in readers.items() if module == _module_name(path)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    position = readers.get((_imported_from(path, node), alias.name))
                    if position is not None:
                        visible[alias.asname or alias.name] = position
        for node in ast.walk(tree):
            argument = None if node in generic_reads else _environment_read(node)
            if (
                argument is None
                and isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in visible
                and len(node.args) > visible[node.func.id]
            ):
                argument = node.args[visible[node.func.id]]
            if argument is None:
                continue
            if isinstance(argument, ast.Constant):
                names.add(argument.value)
            elif isinstance(argument, ast.Name) and argument.id in constants:
                names.add(constants[argument.id])
            else:
                unresolved.add(str(path.relative_to(ROOT)))
    for path in (ROOT / "bot").glob("*.yml"):  # Rasa fills ${NAME} in endpoints.yml and credentials.yml
        names |= set(re.findall(r"\$\{(\w+)\}", path.read_text()))
    return names, unresolved


def template_lines() -> list[tuple[str, str, str, bool]]:
    """(file, name, value, commented out) for every NAME=value line of the environment templates."""
    found = []
    for path in ENV_FILES:
        for line in path.read_text().splitlines():
            match = re.fullmatch(r"(#?)([A-Z][A-Z0-9_]*)=(.*)", line.strip())
            if match:
                found.append((path.name, match.group(2), match.group(3), bool(match.group(1))))
    return found


def test_the_environment_templates_hold_exactly_the_variables_the_code_reads():
    names, unresolved = variables_the_code_reads()
    assert unresolved == set(), "name these variables with a string or a module constant"
    assert {"DATABASE_URL", "REDIS_URL", "SENDER_HASH_SECRET", "ADMIN_SECRET_KEY", "ACTION_ENDPOINT_URL"} <= names
    listed = [name for _, name, _, _ in template_lines()]
    assert len(listed) == len(set(listed)), "a variable is listed twice"
    assert set(listed) == names


def test_secrets_are_only_in_the_secrets_files_and_never_filled_in():
    for file, name, value, commented in template_lines():
        if SECRET_NAME.search(name) and not commented:
            assert file.endswith("-secrets.env") and value == "", f"{name} in {file}"
        if file.endswith("-secrets.env"):
            assert value == "", f"{file} holds a value for {name}"
    for path in UNITS:
        for setting in values(unit_file(path)["Service"], "Environment"):
            assert not SECRET_NAME.search(setting), f"{path.name} sets a secret in the unit"


def test_every_environment_file_a_unit_reads_has_a_template():
    for path in UNITS:
        files = values(unit_file(path)["Service"], "EnvironmentFile")
        assert "/etc/bucks-dva/bucks-dva.env" in files
        for file in files:
            assert file.startswith("/etc/bucks-dva/") and (DEPLOY / "env" / Path(file).name).is_file(), file


def test_the_template_urls_are_ones_the_code_accepts():
    settings = {name: value for _, name, value, commented in template_lines() if not commented}
    assert make_url(settings["DATABASE_URL"]).get_backend_name() == "postgresql"
    assert redis_settings(settings["REDIS_URL"])["host"] == "127.0.0.1"
    assert settings["ACTION_ENDPOINT_URL"].endswith(f":{settings['ACTION_SERVER_PORT']}/webhook")


def rendered_nginx(folder: Path) -> Path:
    """deploy/nginx/ as Debian's nginx would load it, with only the paths moved into `folder`: our files, the
    logs, and a certificate made here for the TLS placeholders. Returns the main configuration."""
    conf, logs, tls = folder / "bucks-dva", folder / "logs", folder / "tls"
    for directory in (conf, logs, tls):
        directory.mkdir()
    for path in (DEPLOY / "nginx").glob("*.conf"):
        text = path.read_text().replace("/etc/nginx/bucks-dva/", f"{conf}/").replace("/var/log/nginx/", f"{logs}/")
        (conf / path.name).write_text(text.replace("/etc/ssl/bucks-dva/", f"{tls}/"))
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=test",
            "-keyout",
            str(tls / "privkey.pem"),
            "-out",
            str(tls / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    main = folder / "nginx.conf"
    main.write_text(f"""pid {folder}/nginx.pid;
events {{}}
http {{
    include /etc/nginx/mime.types;
    include {conf}/bucks-dva.conf;
    server {{
        listen 127.0.0.1:8443 ssl;
        server_name www.example.com;
        include {conf}/tls.conf;
        root {folder}/council-pages;
        include {conf}/council-website.conf;
    }}
}}
""")
    return main


def test_nginx_accepts_the_site_and_the_council_website_settings(tmp_path):
    if not balancer.NGINX:
        pytest.fail("nginx is not installed (make test installs Debian's: scripts/test-prerequisites).")
    main = rendered_nginx(tmp_path)
    checked = subprocess.run(
        [balancer.NGINX, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
    assert "[warn]" not in checked.stderr, checked.stderr


def test_redis_settings_keep_nothing_on_disk_and_evict_idle_conversations(own_redis_url):
    """own_redis_url runs redis-server with deploy/redis/bucks-dva.conf."""
    settings = redis.Redis.from_url(own_redis_url, decode_responses=True).config_get("*")
    assert settings["save"] == "" and settings["appendonly"] == "no"
    assert settings["maxmemory-policy"] == "volatile-lru" and int(settings["maxmemory"]) > 0


@pytest.mark.postgres
def test_the_catalogue_roles_let_the_admin_write_and_the_public_facing_services_only_read(postgres_server_url):
    """deploy/postgresql/setup.sql, run by psql as on the server, with its names made unique to this test."""
    suffix = uuid.uuid4().hex[:8]
    names = {
        '"bucksdva-admin"': f'"test-admin-{suffix}"',
        "bucksdva": f"test_reader_{suffix}",
        "bucks_dva": f"catalogue_deploy_{suffix}",
    }
    script = re.sub(
        r'"bucksdva-admin"|\bbucksdva\b|\bbucks_dva\b',
        lambda match: names[match.group(0)],
        (DEPLOY / "postgresql" / "setup.sql").read_text(),
    )
    server = postgres_server_url.rsplit("/", 1)[0]
    admin_url = f"{server.replace('postgres@', f'test-admin-{suffix}@')}/{names['bucks_dva']}"
    reader_url = f"{server.replace('postgres@', names['bucksdva'] + '@')}/{names['bucks_dva']}"
    try:
        subprocess.run(
            ["psql", postgres_server_url, "-q", "-v", "ON_ERROR_STOP=1"],
            input=script,
            text=True,
            check=True,
            capture_output=True,
            timeout=60,
        )
        admin = get_engine(admin_url)
        migrate(admin)
        with session_scope(admin) as session:
            seed(session)
        reader = get_engine(reader_url)
        assert find_services(["male_victim"], engine=reader)[0].key == "mens-advice-line"
        with pytest.raises(ProgrammingError, match="permission denied"), reader.begin() as connection:
            connection.execute(text("UPDATE phone SET number = '0'"))
    finally:
        for url in (admin_url, reader_url):
            get_engine(url).dispose()
        cleanup = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT", future=True)
        with cleanup.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {names['bucks_dva']} WITH (FORCE)"))
            for role in (names['"bucksdva-admin"'], names["bucksdva"]):
                connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
        cleanup.dispose()
