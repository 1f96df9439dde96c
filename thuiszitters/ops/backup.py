"""Operations: online backup of the embedded SQLite database."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from thuiszitters.extensions import db


class BackupError(RuntimeError):
    pass


def sqlite_backup(target: Path) -> Path:
    """Copy the live SQLite database to `target` with SQLite's online backup API (safe while the app runs).

    PostgreSQL is backed up with pg_dump instead (docs/deploy.md).
    """
    url = make_url(db.engine.url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupError("flask backup maakt een back-up van SQLite; gebruik pg_dump voor PostgreSQL")
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} bestaat al; kies een nieuw bestand")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(url.database)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    check = sqlite3.connect(target)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if result != "ok":
        raise BackupError(f"de back-up is niet in orde: {result}")
    return target
