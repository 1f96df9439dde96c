"""Flask extensions, created unbound and bound to the app in create_app()."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData, Row, Select, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from thuiszitters.versioning import VersionedSession

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always stored and returned as an aware UTC datetime.

    SQLite has no time zones and returns naive values; PostgreSQL returns aware ones.
    This type makes both behave the same, and refuses naive input so no local time slips in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused; use clock.now_utc()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# The session's flush turns a lost race on a versioned row into StaleVersion (thuiszitters/versioning.py).
db = SQLAlchemy(model_class=Base, session_options={"class_": VersionedSession})
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite leaves foreign keys off per connection; also use WAL and wait on locks instead of failing."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def init_app(app) -> None:
    """Bind the extensions to the app (kept here so create_app stays a list of steps).

    The models are imported by `thuiszitters/__init__.py` (the schema); the server-side session and the user loader
    by the accounts area, which owns them.
    """
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR") or MIGRATIONS_DIR))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te zien."
    login_manager.session_protection = "strong"


def column_rows(statement: Select) -> Sequence[Row]:
    """The rows of a column select (no mapped entities), read in the session's transaction as plain Core rows, all
    at once.

    The session's own ``execute`` runs every row through the ORM's loading, which plain column tuples do not need
    (for the werkvoorraad's 511 stale cases of the busiest swv that doubled the query's time in Python), and
    iterating a result fetches row by row from the driver, where ``all()`` takes them in one call.
    """
    return db.session.connection().execute(statement).all()
