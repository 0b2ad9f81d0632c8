"""Loading the seed files: needs, areas and the national and local services in services_catalogue/seed/."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Area, Service
from .records import read_yaml
from .store import Progress, import_records, write_areas, write_needs

SEED_DIR = Path(__file__).parent / "seed"


def load_yaml(name: str, seed_dir: Path = SEED_DIR):
    return yaml.safe_load((seed_dir / name).read_text(encoding="utf-8"))


def need_codes(seed_dir: Path = SEED_DIR) -> list[str]:
    return [need["code"] for need in load_yaml("needs.yml", seed_dir)]


def service_translations(seed_dir: Path = SEED_DIR) -> dict[str, dict[str, str]]:
    """Service key -> language -> description, from seed/translations/<language>.yml."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted((seed_dir / "translations").glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, description in (document.get("services") or {}).items():
            found.setdefault(key, {})[document["language"]] = description
    return found


def seed(session: Session, seed_dir: Path = SEED_DIR, progress: Progress | None = None) -> int:
    """Add whatever is missing from the seed files; never overwrite what staff have since changed."""
    write_needs(session, load_yaml("needs.yml", seed_dir))
    present_areas = set(session.scalars(select(Area.code)))
    write_areas(session, [a for a in load_yaml("areas.yml", seed_dir) if a["code"] not in present_areas])
    organizations, services, _ = read_yaml((seed_dir / "services.yml").read_text(encoding="utf-8"))
    translations = service_translations(seed_dir)
    present = set(session.scalars(select(Service.key)))
    missing = [service for service in services if service["key"] not in present]
    for service in missing:
        service["translations"] = translations.get(service["key"], {})
    return import_records(session, missing, organizations, progress)
