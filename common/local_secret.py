"""Secrets for a laptop run: the environment's value, or one generated once into var/ and kept there."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def local_secret(variable: str, path: Path) -> str:
    """The configured secret wins; otherwise one made once into `path`, readable by its owner only."""
    configured = os.environ.get(variable)
    if configured:
        return configured
    if not path.exists():
        _create(path)
    return path.read_text(encoding="ascii").strip()


def _create(path: Path) -> None:
    """Written whole under a temporary name and linked into place, so processes starting together all read the
    one complete secret."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
