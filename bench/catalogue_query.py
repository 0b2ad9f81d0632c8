"""find_services over 10,000 generated services, on SQLite and on PostgreSQL: p50 / p95 per query.

    .venv/bin/python -m bench.catalogue_query [--services 10000] [--queries 2000]

Goal (issue 2): p95 <= 2 ms on SQLite. Writes bench/results/catalogue_query.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import date

from sqlalchemy import create_engine, insert, select, text

from bench.figures import percentile, publish
from services_catalogue.db import get_engine, session_scope
from services_catalogue.models import Phone, Schedule, Service, ServiceArea, TaxonomyTerm, service_taxonomy
from services_catalogue.query import find_services
from services_catalogue.schema import migrate
from services_catalogue.seeding import seed

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
WEEKDAYS = "MO,TU,WE,TH,FR"


def populate(engine, count: int, rng: random.Random) -> None:
    with session_scope(engine) as session:
        seed(session)
        terms = list(session.execute(select(TaxonomyTerm.id, TaxonomyTerm.code)))
        towns = [code for (code,) in session.execute(text("SELECT code FROM area WHERE kind = 'town'"))]
    services, links, areas, phones, schedules = [], [], [], [], []
    for number in range(count):
        service_id = str(uuid.UUID(int=rng.getrandbits(128)))
        services.append(
            {
                "id": service_id,
                "key": f"generated-{number}",
                "name": f"Generated service {number}",
                "description": "A generated service for the benchmark.",
                "status": rng.choice(["published"] * 8 + ["draft", "archived"]),
                "version": 1,
            }
        )
        for term_id, _ in rng.sample(terms, rng.randint(1, 3)):
            links.append({"service_id": service_id, "taxonomy_term_id": term_id})
        area = rng.choice(["national", "buckinghamshire"] + towns)
        areas.append({"service_id": service_id, "area_code": area})
        phones.append(
            {
                "id": str(uuid.uuid4()),
                "service_id": service_id,
                "position": 0,
                "number": "01296 383000",
                "type": "voice",
                "source": "benchmark",
                "verified_on": date(2026, 1, 1),
                "verified_by": "bench",
            }
        )
        if rng.random() < 0.7:
            schedules.append(
                {
                    "id": str(uuid.uuid4()),
                    "service_id": service_id,
                    "position": 0,
                    "byday": WEEKDAYS,
                    "opens_at": "09:00",
                    "closes_at": "17:00",
                }
            )
    with engine.begin() as connection:
        connection.execute(insert(Service.__table__), services)
        connection.execute(insert(service_taxonomy), links)
        connection.execute(insert(ServiceArea.__table__), areas)
        connection.execute(insert(Phone.__table__), phones)
        connection.execute(insert(Schedule.__table__), schedules)
        connection.execute(text("ANALYZE"))


def measure(engine, queries: int, rng: random.Random) -> list[float]:
    with session_scope(engine) as session:
        codes = [code for (code,) in session.execute(select(TaxonomyTerm.code))]
        towns = [c for (c,) in session.execute(text("SELECT code FROM area WHERE kind = 'town'"))] + [None, "national"]
    cases = [(rng.sample(codes, rng.randint(1, 2)), rng.choice(towns)) for _ in range(queries)]
    for needs, area in cases[:100]:  # warm the connection pool and the database's caches
        find_services(needs, area=area, engine=engine)
    timings = []
    for needs, area in cases:
        start = time.perf_counter()
        find_services(needs, area=area, engine=engine)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2_000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        sqlite = get_engine(f"sqlite:///{folder}/bench.db")
        migrate(sqlite)
        populate(sqlite, args.services, random.Random(1))
        rows.append(("SQLite", measure(sqlite, args.queries, random.Random(2))))
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        postgres = get_engine(POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}")
        migrate(postgres)
        populate(postgres, args.services, random.Random(1))
        rows.append(("PostgreSQL", measure(postgres, args.queries, random.Random(2))))
        postgres.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    lines = [
        f"# find_services over {args.services:,} services ({args.queries:,} queries)",
        "",
        "| database | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|",
    ]
    for database, timings in rows:
        lines.append(
            f"| {database} | {statistics.median(timings):.2f} | {percentile(timings, 0.95):.2f} | "
            f"{percentile(timings, 0.99):.2f} |"
        )
    publish("catalogue_query", lines)


if __name__ == "__main__":
    main()
