"""Backup sets and their restore (issue 12): operations, not business data — nothing here is audited, since a
restore replaces the audit trail with the one of the set.

A backup set is a directory ``DIR/dondoc-backup-YYYYmmddTHHMMSSZ/`` holding

- ``database.sqlite3`` (SQLite: the online backup API, safe while the web server and the worker write in WAL mode)
  or ``database.pgdump`` (PostgreSQL: ``pg_dump`` in custom format);
- ``media/…``, the uploaded files (the default storage's location);
- ``manifest.json``: format, product version, engine, database, created_at, the migration state (latest migration
  per app) and every file with its size and SHA-256.

A set is written under a hidden temporary name and renamed when complete, so a directory with a manifest is whole.
``--keep`` deletes only directories whose manifest says they are dondoc backup sets.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

FORMAT = "dondoc-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DB_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
SET_NAME = re.compile(r"^dondoc-backup-\d{8}T\d{6}Z(-\d+)?$")
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def engine_of(db: dict) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"unsupported database engine {engine!r}: dondoc backs up SQLite and PostgreSQL")


def database_label(db: dict) -> str:
    """The database as an operator names it (never the password)."""
    if engine_of(db) == "sqlite":
        return str(db["NAME"])
    host = db.get("HOST") or "localhost"
    return f"{db['NAME']} on {host}:{db.get('PORT') or 5432}"


def media_root() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def product_version() -> str:
    try:
        return metadata.version("dondoc")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


# --- files and checksums ----------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _entry(root: Path, path: Path) -> dict:
    return {"path": path.relative_to(root).as_posix(), "size": path.stat().st_size, "sha256": sha256_of(path)}


def _copy_tree(src: Path, dst: Path) -> None:
    """Copy the regular files under ``src`` (symlinks followed, nothing else) into ``dst``."""
    dst.mkdir(parents=True, exist_ok=True)
    if not src.is_dir():
        return
    for dirpath, _dirnames, filenames in os.walk(src):
        target = dst / Path(dirpath).relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            if (Path(dirpath) / name).is_file():
                shutil.copy2(Path(dirpath) / name, target / name)


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


# --- migration state --------------------------------------------------------------------------------------------


def latest_per_app(applied: set[tuple[str, str]], graph) -> dict[str, str]:
    """The latest applied migration of each app: the one with the most ancestors in the code's graph; a migration
    the code does not know (a newer version's) counts as later than every known one."""

    def rank(key):
        if key in graph.nodes:
            return (0, len(graph.forwards_plan(key)), key[1])
        return (1, 0, key[1])

    latest: dict[str, tuple[str, str]] = {}
    for key in applied:
        if key[0] not in latest or rank(key) > rank(latest[key[0]]):
            latest[key[0]] = key
    return {app: latest[app][1] for app in sorted(latest)}


def _code_graph():
    return MigrationLoader(None, ignore_no_migrations=True).graph


def unknown_migrations(state: dict[str, str]) -> list[str]:
    """Migrations of a set that this code does not have (the set was made by a newer dondoc)."""
    graph = _code_graph()
    return [f"{app}.{name}" for app, name in sorted(state.items()) if (app, name) not in graph.nodes]


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def _sqlite_applied(path: Path) -> set[tuple[str, str]]:
    con = _read_only(path)
    try:
        return set(con.execute("SELECT app, name FROM django_migrations"))
    except sqlite3.OperationalError:  # never migrated
        return set()
    finally:
        con.close()


def _connection_applied(alias: str = DEFAULT_DB_ALIAS) -> set[tuple[str, str]]:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[alias])
    return set(recorder.applied_migrations()) if recorder.has_table() else set()


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations of this code not applied to the database, in the order `migrate` would apply them."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


# --- PostgreSQL client programs ---------------------------------------------------------------------------------


def pg_program(name: str) -> str:
    """``pg_dump``/``pg_restore``/``psql``: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str):
        part = Path(path).parent.parent.name
        return tuple(int(x) for x in re.findall(r"\d+", part)) or (0,)

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if candidates:
        return candidates[-1]
    raise BackupError(f"{name} not found on PATH nor in /usr/lib/postgresql/*/bin: install the PostgreSQL client "
                      "(apt-get install postgresql-client)")


def pg_env(db: dict) -> dict[str, str]:
    """The libpq environment for the configured database: the password travels here, never on a command line."""
    env = dict(os.environ)
    for var, value in {"PGDATABASE": db.get("NAME"), "PGUSER": db.get("USER"), "PGPASSWORD": db.get("PASSWORD"),
                       "PGHOST": db.get("HOST"), "PGPORT": db.get("PORT")}.items():
        if value:
            env[var] = str(value)
        else:
            env.pop(var, None)
    options = db.get("OPTIONS") or {}
    for option, var in {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                        "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT"}.items():
        if options.get(option):
            env[var] = str(options[option])
    return env


def _run(args: list[str], *, env: dict, what: str) -> None:
    try:
        done = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupError(f"{what}: cannot run {args[0]}: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what} failed (exit {done.returncode}): " + " | ".join(detail))


# --- backup -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupSet:
    path: Path
    manifest: dict

    @property
    def created_at(self) -> str:
        return self.manifest.get("created_at", "")

    @property
    def engine(self) -> str:
        return self.manifest.get("engine", "")


def create(out_dir: Path, *, now: dt.datetime, alias: str = DEFAULT_DB_ALIAS) -> BackupSet:
    """Write a backup set of the configured database and the uploaded files into ``out_dir``; return it."""
    db = connections[alias].settings_dict
    engine = engine_of(db)
    out_dir = out_dir.absolute()
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    media = media_root().absolute()
    if out_dir == media or media in out_dir.parents:
        raise BackupError(f"{out_dir} is inside the uploaded files ({media}): each backup would contain the ones "
                          "before it. Choose a directory outside, e.g. var/backups")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        final = out_dir / f"dondoc-backup-{stamp}"
        n = 1
        while final.exists():
            final, n = out_dir / f"dondoc-backup-{stamp}-{n}", n + 1
        tmp = out_dir / f".{final.name}.partial-{os.getpid()}"
        tmp.mkdir(mode=0o700)  # a set holds personal data (petitioners): readable by the service account only
    except OSError as exc:
        raise BackupError(f"cannot write a backup set into {out_dir}: {exc.strerror or exc}") from exc
    try:
        db_file = tmp / DB_FILES[engine]
        if engine == "sqlite":
            applied = _backup_sqlite(Path(db["NAME"]), db_file)
        else:
            _run([pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(db_file)],
                 env=pg_env(db), what="pg_dump")
            applied = _connection_applied(alias)
        _copy_tree(media, tmp / MEDIA)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "product": "dondoc",
            "version": product_version(),
            "engine": engine,
            "database": {"name": str(db["NAME"]), "host": db.get("HOST") or "", "port": str(db.get("PORT") or "")},
            "media_root": str(media),
            "created_at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "migrations": latest_per_app(applied, _code_graph()),
            "files": [_entry(tmp, p) for p in _files_under(tmp)],
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.rename(tmp, final)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)  # nothing half-written stays behind
        if isinstance(exc, OSError):
            raise BackupError(f"backup failed, nothing kept: {exc}") from exc
        raise
    return BackupSet(final, manifest)


def _backup_sqlite(source: Path, target: Path) -> set[tuple[str, str]]:
    """Copy a live SQLite database with the online backup API (one step: a consistent snapshot even while others
    write, since WAL readers do not block writers), make the copy a self-contained file and check it."""
    if not source.is_file():
        raise BackupError(f"the database file {source} does not exist (wrong DATABASE_URL or DONDOC_HOME?)")
    src = sqlite3.connect(source, timeout=30)  # not mode=ro: a WAL reader may need to create the -shm file
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        problem = dst.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(f"the copy of {source} fails SQLite's check: {problem}")
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite backup of {source} failed: {exc}") from exc
    finally:
        dst.close()
        src.close()
    return _sqlite_applied(target)


def sets_in(directory: Path) -> list[BackupSet]:
    """The backup sets in ``directory`` that dondoc recognises as its own (by name and manifest), oldest first."""
    found = []
    if not directory.is_dir():
        return found
    for path in directory.iterdir():
        if not (path.is_dir() and SET_NAME.match(path.name)):
            continue
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and manifest.get("format") == FORMAT:
            found.append(BackupSet(path, manifest))
    return sorted(found, key=lambda s: (s.created_at, s.path.name))


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete the recognised sets beyond the ``keep`` newest; return what was deleted."""
    doomed = sets_in(directory)[:-keep] if keep > 0 else []
    for backup_set in doomed:
        shutil.rmtree(backup_set.path)
    return [s.path for s in doomed]


# --- restore ----------------------------------------------------------------------------------------------------


def load(path: Path) -> BackupSet:
    """Read a set and verify every file against the manifest; raise BackupError naming what is wrong."""
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{path} is not a dondoc backup set: no {MANIFEST}") from exc
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path / MANIFEST} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a dondoc backup set (its manifest has no format {FORMAT!r})")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path}: backup format version {manifest.get('format_version')} is not supported "
                          f"by this dondoc (it reads version {FORMAT_VERSION})")
    engine = manifest.get("engine")
    if engine not in DB_FILES:
        raise BackupError(f"{path}: unknown engine {engine!r} in the manifest")
    listed = {f["path"]: f for f in manifest.get("files", [])}
    problems = []
    if DB_FILES[engine] not in listed:
        problems.append(f"the manifest lists no {DB_FILES[engine]}")
    root = path.resolve()
    for rel, entry in sorted(listed.items()):
        file = (path / rel).resolve()
        if root not in file.parents:
            problems.append(f"{rel}: outside the set")
        elif not file.is_file():
            problems.append(f"{rel}: missing")
        elif file.stat().st_size != entry["size"]:
            problems.append(f"{rel}: size {file.stat().st_size}, expected {entry['size']}")
        elif sha256_of(file) != entry["sha256"]:
            problems.append(f"{rel}: SHA-256 differs from the manifest")
    for file in _files_under(path):
        rel = file.relative_to(path).as_posix()
        if rel != MANIFEST and rel not in listed:
            problems.append(f"{rel}: not in the manifest")
    if problems:
        raise BackupError(f"{path} is damaged, nothing restored: " + "; ".join(problems))
    return BackupSet(path, manifest)


def check_restorable(backup_set: BackupSet, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a set of another engine or one made by a newer dondoc (migrations this code lacks)."""
    db = connections[alias].settings_dict
    engine, theirs = engine_of(db), backup_set.engine
    if theirs != engine:
        theirs, engine = ENGINE_NAMES[theirs], ENGINE_NAMES[engine]
        raise BackupError(
            f"this backup set holds a {theirs} database but the configured database is {engine}: a set restores "
            f"only into the engine it came from. Restore it into a {theirs} database (DATABASE_URL pointing at "
            f"one), then move the data with `dondoc copydb --to DATABASE_URL` where DATABASE_URL is the {engine} "
            "database.")
    unknown = unknown_migrations(backup_set.manifest.get("migrations", {}))
    if unknown:
        raise BackupError(
            f"this backup set was made by a newer dondoc ({backup_set.manifest.get('version')}): its migrations "
            f"{', '.join(unknown)} are unknown to this version ({product_version()}). Install that version or a "
            "later one, then restore.")


def describe_target(backup_set: BackupSet, *, alias: str = DEFAULT_DB_ALIAS) -> str:
    db = connections[alias].settings_dict
    return (f"the {ENGINE_NAMES[engine_of(db)]} database {database_label(db)} and the uploaded files in {media_root()} "
            f"with the backup set of {backup_set.created_at} (dondoc {backup_set.manifest.get('version')})")


def restore(backup_set: BackupSet, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the configured database and the uploaded files with the set's. The media are copied first beside
    their place; the database is then replaced in one transaction; the media directories are swapped last."""
    db = connections[alias].settings_dict
    engine = engine_of(db)
    connections[alias].close()
    media = media_root()
    try:
        media.parent.mkdir(parents=True, exist_ok=True)
        incoming = media.parent / f".{media.name}.restoring-{os.getpid()}"
        shutil.rmtree(incoming, ignore_errors=True)
        _copy_tree(backup_set.path / MEDIA, incoming)
    except OSError as exc:
        raise BackupError(f"cannot prepare the uploaded files beside {media}: {exc}") from exc
    try:
        db_file = backup_set.path / DB_FILES[engine]
        if engine == "sqlite":
            _restore_sqlite(db_file, Path(db["NAME"]))
        else:
            _restore_postgresql(db_file, db)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    _swap_in(incoming, media)


def _restore_sqlite(source: Path, target: Path) -> None:
    """The backup API into the configured file: one write transaction (other connections see the old or the new
    database, never a mix; a WAL file stays consistent), and it works whether the file exists or not."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = _read_only(source)
        try:
            problem = src.execute("PRAGMA quick_check").fetchone()[0]
            if problem != "ok":
                raise BackupError(f"{source} fails SQLite's check, nothing restored: {problem}")
            dst = sqlite3.connect(target, timeout=30)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"restoring into {target} failed: {exc}") from exc
    except OSError as exc:
        raise BackupError(f"restoring into {target} failed: {exc}") from exc


def _restore_postgresql(dump: Path, db: dict) -> None:
    """Recreate the ``public`` schema and load the dump in a single transaction (psql --single-transaction over the
    script pg_restore writes, written whole first), so that a failure leaves the database as it was, and tables that
    newer migrations created and the set lacks go too."""
    env = pg_env(db)
    pg_restore, psql = pg_program("pg_restore"), pg_program("psql")
    with tempfile.TemporaryDirectory(prefix="dondoc-restore-") as scratch:
        script = Path(scratch) / "restore.sql"
        _run([pg_restore, "--no-owner", "--no-privileges", f"--file={script}", str(dump)], env=env,
             what=f"pg_restore (reading {dump.name})")
        _run([psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
              "--command=DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;", f"--file={script}"],
             env=env, what="restore (psql)")


def _swap_in(incoming: Path, media: Path) -> None:
    old = media.parent / f".{media.name}.replaced-{os.getpid()}"
    try:
        if media.exists():
            os.rename(media, old)
        os.rename(incoming, media)
    except OSError as exc:
        raise BackupError(f"the database is restored but the uploaded files could not be put in place: {exc}; "
                          f"they are in {incoming}") from exc
    shutil.rmtree(old, ignore_errors=True)
