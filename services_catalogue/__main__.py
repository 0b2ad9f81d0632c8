"""Command line for the catalogue: python -m services_catalogue COMMAND.

Exit codes: 0 done, 1 the data has problems (each printed with its row and field), 2 the database cannot be
reached or a file cannot be read.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from . import oruk
from .admin.accounts import AccountProblem, create_account, password_problem
from .db import CatalogueUnavailable, describe, get_engine, session_scope
from .records import ImportRejected, read_csv, read_yaml, validate_records, write_csv
from .review import review
from .schema import migrate
from .seeding import seed
from .store import all_services, import_records, known_codes, record_from_service, stderr_progress


def _read_records(path: Path):
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".yml", ".yaml"):
        return read_yaml(text)
    if path.suffix.lower() == ".csv":
        records, errors = read_csv(text)
        return [], records, errors
    raise ValueError(f"{path.name}: only .csv, .yml and .yaml files can be imported")


def cmd_init(_args) -> int:
    migrate(get_engine())
    print(f"Catalogue schema is up to date at {describe(get_engine())}.")
    return 0


def cmd_seed(_args) -> int:
    migrate(get_engine())
    with session_scope() as session:
        added = seed(session, progress=stderr_progress("seed"))
    print(f"Seeded the catalogue: {added} new service(s).")
    return 0


def cmd_import(args) -> int:
    organizations, records, errors = _read_records(Path(args.path))
    if errors:
        return _report(errors)
    try:
        with session_scope() as session:
            count = import_records(session, records, organizations, stderr_progress("import"))
    except ImportRejected as rejected:
        return _report(rejected.errors)
    print(f"Imported {count} service(s).")
    return 0


def cmd_export(args) -> int:
    with session_scope() as session:
        records = [record_from_service(s) for s in all_services(session)]
    if args.path == "-":
        write_csv(records, sys.stdout)
    else:
        with open(args.path, "w", encoding="utf-8", newline="") as out:
            rows = write_csv(records, out)
        print(f"Wrote {len(records)} service(s) in {rows} row(s) to {args.path}.")
    return 0


def cmd_export_oruk(args) -> int:
    statuses = None if args.all else ["published"]
    with session_scope() as session:
        services = all_services(session, statuses)
        progress = stderr_progress("export-oruk")
        records = []
        for done, service in enumerate(services, 1):
            records.append(oruk.service_record(service))
            progress(done, len(services))
    Path(args.path).write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"Wrote {len(records)} Open Referral UK service record(s) to {args.path}.")
    return 0


def cmd_validate(args) -> int:
    with session_scope() as session:
        needs, areas, organizations = known_codes(session)
        if args.path:
            extra_orgs, records, errors = _read_records(Path(args.path))
            organizations |= {o.get("key") for o in extra_orgs}
        else:
            records, errors = [], []
            for service in all_services(session):
                record = record_from_service(service)
                record["_row"] = f"service {service.key}"
                records.append(record)
    errors = errors + validate_records(records, needs, areas, organizations)
    if errors:
        return _report(errors)
    print(f"{len(records)} service(s) checked: no problems.")
    return 0


def cmd_review(_args) -> int:
    with session_scope() as session:
        result = review(session)
    print(f"Not verified for 180 days or more ({len(result.stale)}):")
    for key, detail, when in result.stale:
        print(f"  {key}: {detail} (verified {when or 'never'})")
    print(f"Drafts waiting ({len(result.drafts)}):")
    for key, note in result.drafts:
        print(f"  {key}: {note}")
    print(f"Needs with no published local service ({len(result.needs_without_local_service)}):")
    for need in result.needs_without_local_service:
        print(f"  {need}")
    print(f"Towns with no published local service ({len(result.towns_without_local_service)}):")
    for town in result.towns_without_local_service:
        print(f"  {town}")
    return 0


def _new_password() -> str:
    """From ADMIN_PASSWORD, or typed twice without echo. There is never a default."""
    password = os.environ.get("ADMIN_PASSWORD")
    if password:
        return password
    password = getpass.getpass("Password (at least 12 characters): ")
    problem = password_problem(password)
    if problem:
        raise AccountProblem(problem)
    if getpass.getpass("The same password again: ") != password:
        raise AccountProblem("The two passwords are different.")
    return password


def cmd_create_admin(args) -> int:
    try:
        password = _new_password()
        migrate(get_engine())
        with session_scope() as session:
            create_account(session, args.email, args.name or args.email, "admin", password, "command line")
    except AccountProblem as problem:
        print(f"Error: {problem}", file=sys.stderr)
        return 1
    print(f"Created admin account {args.email.strip().lower()}. Sign in at http://localhost:8081/admin/.")
    return 0


def _report(errors) -> int:
    for error in errors:
        print(error, file=sys.stderr)
    print(f"{len(errors)} problem(s) found; nothing was written.", file=sys.stderr)
    return 1


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m services_catalogue", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True)
    commands.add_parser("init", help="create or migrate the schema").set_defaults(run=cmd_init)
    commands.add_parser("seed", help="add the seed needs, areas and services that are missing").set_defaults(
        run=cmd_seed
    )
    sub = commands.add_parser("import", help="import services from CSV or YAML (all or nothing)")
    sub.add_argument("path")
    sub.set_defaults(run=cmd_import)
    sub = commands.add_parser("export", help="export every service as CSV ('-' for standard output)")
    sub.add_argument("path")
    sub.set_defaults(run=cmd_export)
    sub = commands.add_parser("export-oruk", help="export published services as Open Referral UK JSON")
    sub.add_argument("path")
    sub.add_argument("--all", action="store_true", help="include drafts and archived services")
    sub.set_defaults(run=cmd_export_oruk)
    sub = commands.add_parser("validate", help="check the catalogue, or a file before importing it")
    sub.add_argument("path", nargs="?")
    sub.set_defaults(run=cmd_validate)
    commands.add_parser("review", help="stale details, drafts and gaps").set_defaults(run=cmd_review)
    sub = commands.add_parser(
        "create-admin", help="create a staff admin account (password from ADMIN_PASSWORD or typed twice)"
    )
    sub.add_argument("email")
    sub.add_argument("--name", help="the person's name, shown in the admin")
    sub.set_defaults(run=cmd_create_admin)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except CatalogueUnavailable as error:
        print(f"Error: {error} Check DATABASE_URL and that the server is running.", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError, ValueError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
