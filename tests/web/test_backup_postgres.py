"""PostgreSQL backup and restore with pg_dump/pg_restore, as docs/deploy.md describes: nothing is lost."""
import glob
import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import factories
from thuiszitters.extensions import db


def _tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)),
                                       None)
    if found is None:
        pytest.fail(f"{name} is missing")
    return found


def test_pg_dump_and_restore_round_trip_loses_nothing(app, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (SQLite backups are tested in test_operations.py)")
    w = factories.world()
    for day in range(1, 6):
        factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, day), first_name="Ærøe")
    db.session.commit()
    url = make_url(db.engine.url).set(drivername="postgresql")
    dump = tmp_path / "backup.dump"
    plain = url.render_as_string(hide_password=False)
    subprocess.run([_tool("pg_dump"), "--format=custom", f"--file={dump}", plain], check=True)

    restore_name = f"{url.database}_restore"
    admin = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{restore_name}"'))
        conn.execute(text(f'CREATE DATABASE "{restore_name}"'))
    try:
        target = url.set(database=restore_name)
        subprocess.run([_tool("pg_restore"), "--no-owner",
                        f"--dbname={target.render_as_string(hide_password=False)}", str(dump)], check=True)
        restored = create_engine(target.set(drivername="postgresql+psycopg"))
        with restored.connect() as conn, db.engine.connect() as live:
            for table in ("case_file", "pupil", "user_account", "audit_event", "alembic_version"):
                query = text(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
                assert conn.execute(query).scalar() == live.execute(query).scalar(), table
            names = conn.execute(text("SELECT first_name FROM pupil")).scalars().all()
            assert names == ["Ærøe"] * 5
        restored.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{restore_name}"'))
        admin.dispose()
