"""dondoc backup / restore / copydb, end to end through the `dondoc` program as an operator runs it: a subprocess
pointed at a database file (or a PostgreSQL database) of its own by DATABASE_URL and DONDOC_HOME.

The data: the reference data and the personas (tests/conftest.py), committed by a transactional test and copied
out of the test database — SQLite's backup API into a file, PostgreSQL's CREATE DATABASE … TEMPLATE. The
SQLite tests run in the SQLite run, the PostgreSQL ones in `scripts/with-postgres` (`-m dbtest`)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from dondoc.core import backup

DONDOC = str(Path(sys.executable).with_name("dondoc"))
MEDIA_FILES = {"reports/2020/bao-cao-thang-9.pdf": b"%PDF-1.4 report", "petitions/12/don.txt": "Đơn kiến nghị".encode()}


def dondoc(*args, db_url: str, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}  # not a test run: production paths
    env.update(DATABASE_URL=db_url, DONDOC_HOME=str(home))
    return subprocess.run([DONDOC, *args], env=env, capture_output=True, text=True, timeout=300, check=False)


def write_media(home: Path, files: dict[str, bytes]) -> None:
    for rel, content in files.items():
        path = home / "var" / "media" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def read_media(home: Path) -> dict[str, bytes]:
    root = home / "var" / "media"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def sqlite_content(path: Path) -> dict[str, list]:
    """Every table's rows (sorted), as an operator comparing two databases would read them."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def last_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout.strip().splitlines()[-1]


def fake_set(directory: Path, name: str, created_at: str) -> Path:
    path = directory / name
    path.mkdir(parents=True)
    (path / "manifest.json").write_text(json.dumps({"format": backup.FORMAT, "created_at": created_at}))
    return path


# --- SQLite ------------------------------------------------------------------------------------------------------


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite backups are tested in the SQLite run")


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL backups run under scripts/with-postgres")


def copy_test_database(path: Path) -> Path:
    """The test database (committed: transactional tests only) into a file in WAL mode, as production runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return path


@contextlib.contextmanager
def file_alias(alias: str, path: Path):
    """A connection to a database file beside the test database, for in-process calls that take an alias."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    db = connections.configure_settings({"default": dict(connection.settings_dict),
                                         alias: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}})[alias]
    connections[alias] = DatabaseWrapper(db, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


@pytest.fixture
def sqlite_home(sqlite_only, transactional_db, personas, tmp_path):
    """A DONDOC_HOME with var/dondoc.sqlite3 (reference data + personas) and uploaded files."""
    home = tmp_path / "home"
    db = copy_test_database(home / "var" / "dondoc.sqlite3")
    write_media(home, MEDIA_FILES)
    return home, f"sqlite:///{db}", db


def test_sqlite_backup_change_restore_gives_back_every_row_and_file(sqlite_home, tmp_path):
    home, url, db = sqlite_home
    out = tmp_path / "backups"
    older = [fake_set(out, "dondoc-backup-20200101T000000Z", "2020-01-01T00:00:00+00:00"),
             fake_set(out, "dondoc-backup-20200102T000000Z", "2020-01-02T00:00:00+00:00")]
    not_ours = out / "dondoc-backup-20190101T000000Z"  # a set's name without a manifest: never deleted
    not_ours.mkdir()
    before = sqlite_content(db)
    assert before["auth_user"] and before["accounts_agency"]

    # A writer holds an uncommitted transaction during the backup (WAL): the backup neither waits nor sees it.
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM accounts_membership")
    made = Path(last_line(dondoc("backup", "--out", str(out), "--keep", "2", db_url=url, home=home)))
    writer.execute("ROLLBACK")
    writer.close()

    assert made.parent == out and made.name.startswith("dondoc-backup-")
    manifest = json.loads((made / "manifest.json").read_text())
    assert manifest["engine"] == "sqlite" and manifest["database"]["name"] == str(db)
    assert manifest["migrations"] == dict(sorted(backup._code_graph().leaf_nodes()))  # latest of each app
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == {"database.sqlite3", *(f"media/{rel}" for rel in MEDIA_FILES)}
    assert listed["media/reports/2020/bao-cao-thang-9.pdf"]["size"] == len(MEDIA_FILES["reports/2020/bao-cao-thang-9.pdf"])
    # --keep 2: the new set and the newest older one stay; what is not a recognised set stays too.
    assert sorted(p.name for p in out.iterdir()) == sorted([made.name, older[1].name, not_ours.name])

    # Change everything: rows deleted, added and edited; a file edited, one added, one removed.
    con = sqlite3.connect(db)
    con.execute("DELETE FROM accounts_membership")
    con.execute("UPDATE accounts_agency SET name = 'Đổi tên' WHERE code = 'STC'")
    con.execute("INSERT INTO django_session VALUES ('k', 'data', '2030-01-01 00:00:00')")
    con.commit()
    con.close()
    (home / "var/media/reports/2020/bao-cao-thang-9.pdf").write_bytes(b"overwritten")
    (home / "var/media/petitions/12/don.txt").unlink()
    write_media(home, {"new/upload.xlsx": b"later"})
    assert sqlite_content(db) != before

    refused = dondoc("restore", str(made), db_url=url, home=home)
    assert refused.returncode == 2
    assert "would overwrite" in refused.stderr and str(db) in refused.stderr and "--yes" in refused.stderr
    assert sqlite_content(db)["accounts_membership"] == []  # nothing restored without --yes

    restored = dondoc("restore", str(made), "--yes", db_url=url, home=home)
    assert restored.returncode == 0, restored.stderr
    assert sqlite_content(db) == before
    assert read_media(home) == MEDIA_FILES

    # Into a database file that does not exist yet (a new machine): the same content.
    fresh_home = tmp_path / "new-machine"
    fresh_db = fresh_home / "var" / "dondoc.sqlite3"
    again = dondoc("restore", str(made), "--yes", db_url=f"sqlite:///{fresh_db}", home=fresh_home)
    assert again.returncode == 0, again.stderr
    assert sqlite_content(fresh_db) == before
    assert read_media(fresh_home) == MEDIA_FILES


def test_backup_fails_without_leaving_a_set(tmp_path):
    out = tmp_path / "backups"
    result = dondoc("backup", "--out", str(out), db_url=f"sqlite:///{tmp_path / 'missing.sqlite3'}", home=tmp_path)
    assert result.returncode == 1
    assert "missing.sqlite3 does not exist" in result.stderr
    assert list(out.iterdir()) == [] and not (tmp_path / "missing.sqlite3").exists()

    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with pytest.raises(CommandError, match="cannot write a backup set into") as err:
        call_command("backup", "--out", str(blocked / "sub"))
    assert err.value.returncode == 1

    inside = backup.media_root() / "backups"
    with pytest.raises(CommandError, match="inside the uploaded files"):
        call_command("backup", "--out", str(inside))
    assert not inside.exists()


@pytest.fixture
def sqlite_set(sqlite_only, transactional_db, tmp_path, settings):
    """A backup set of a migrated SQLite file, made in-process (the refusals below write nothing)."""
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"],
                                                          "OPTIONS": {"location": tmp_path / "media"}}}
    (tmp_path / "media").mkdir()
    (tmp_path / "media/don.txt").write_bytes(MEDIA_FILES["petitions/12/don.txt"])
    with file_alias("bk_file", copy_test_database(tmp_path / "dondoc.sqlite3")) as alias:
        return backup.create(tmp_path / "backups", now=timezone.now(), alias=alias).path


def restore_in_process(path: Path, *args: str) -> CommandError:
    """Refusals happen before anything is written, so they can be asked of the test process itself."""
    with pytest.raises(CommandError) as err:
        call_command("restore", str(path), *args)
    return err.value


def test_restore_refuses_a_damaged_set(sqlite_set):
    (sqlite_set / "media/don.txt").write_bytes("Đơn kiến nghỉ".encode())  # same size, other bytes
    err = restore_in_process(sqlite_set, "--yes")
    assert err.returncode == 1
    assert "damaged, nothing restored" in str(err) and "media/don.txt: SHA-256 differs" in str(err)

    (sqlite_set / "database.sqlite3").unlink()
    assert "database.sqlite3: missing" in str(restore_in_process(sqlite_set, "--yes"))

    assert "not a dondoc backup set" in str(restore_in_process(sqlite_set.parent, "--yes"))


def test_restore_refuses_another_engine_and_newer_migrations(sqlite_set):
    manifest_path = sqlite_set / "manifest.json"
    manifest = json.loads(manifest_path.read_text())

    newer = dict(manifest, migrations={**manifest["migrations"], "core": "0999_from_a_later_version"})
    manifest_path.write_text(json.dumps(newer))
    err = restore_in_process(sqlite_set, "--yes")
    assert err.returncode == 1 and "core.0999_from_a_later_version" in str(err) and "newer dondoc" in str(err)

    # A PostgreSQL set (intact) into this SQLite database: refused, pointing at copydb.
    dump = sqlite_set / "database.pgdump"
    os.rename(sqlite_set / "database.sqlite3", dump)
    files = [dict(f, path="database.pgdump") if f["path"] == "database.sqlite3" else f for f in manifest["files"]]
    manifest_path.write_text(json.dumps(dict(manifest, engine="postgresql", files=files)))
    err = restore_in_process(sqlite_set, "--yes")
    assert err.returncode == 1
    assert "PostgreSQL database but the configured database is SQLite" in str(err)
    assert "dondoc copydb --to DATABASE_URL" in str(err)


def test_keep_deletes_only_the_oldest_recognised_sets(tmp_path):
    sets = [fake_set(tmp_path, f"dondoc-backup-2020010{d}T000000Z", f"2020-01-0{d}T00:00:00+00:00")
            for d in (3, 1, 2)]
    foreign = tmp_path / "dondoc-backup-20190101T000000Z"
    foreign.mkdir()
    (foreign / "manifest.json").write_text(json.dumps({"format": "something else"}))
    (tmp_path / "notes.txt").write_text("kept")
    assert backup.prune(tmp_path, 2) == [sets[1]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [sets[0].name, sets[2].name, foreign.name, "notes.txt"])
    with pytest.raises(CommandError, match="--keep must be 1 or more"):
        call_command("backup", "--out", str(tmp_path), "--keep", "0")


def test_pg_dump_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: [])
    with pytest.raises(backup.BackupError, match="pg_dump not found on PATH nor in /usr/lib/postgresql"):
        backup.pg_program("pg_dump")


def test_copydb_comparison_names_the_table_and_column_that_differ(sqlite_only, transactional_db, tmp_path):
    from dondoc.core import dbcopy

    source = copy_test_database(tmp_path / "source.sqlite3")
    con = sqlite3.connect(source)
    con.executemany("INSERT INTO auth_group (name) VALUES (?)", [("a",), ("bb",), ("ccc",)])
    con.commit()
    con.close()
    target = tmp_path / "target.sqlite3"
    shutil.copy(source, target)
    con = sqlite3.connect(target)
    con.execute("UPDATE auth_group SET name = 'bbbb' WHERE name = 'bb'")
    con.execute("INSERT INTO django_session VALUES ('k', 'data', '2030-01-01 00:00:00')")
    con.commit()
    con.close()
    with file_alias("bk_a", source), file_alias("bk_b", target):
        checks = {c.table: c for c in dbcopy.compare(source="bk_a", target="bk_b")}
    assert checks["auth_group"].differing == ["length(name)"]
    assert (checks["django_session"].source_rows, checks["django_session"].target_rows) == (0, 1)
    assert [t for t, c in checks.items() if not c.ok] == ["auth_group", "django_session"]
    assert checks["auth_user"].ok and checks["auth_user"].columns >= 8  # ids, flags and texts are measured


# --- PostgreSQL --------------------------------------------------------------------------------------------------


def _admin():
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None,
                           dbname="postgres", autocommit=True)


def pg_url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgresql://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def pg_content(name: str) -> dict[str, list]:
    import psycopg

    with psycopg.connect(pg_url(name)) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


@pytest.fixture
def pg_database(postgresql_only, transactional_db, personas):
    """A new PostgreSQL database holding the reference data and the personas; dropped after the test."""
    made = []

    def make(template: bool = True) -> str:
        name = f"dondoc_bk_{uuid.uuid4().hex[:8]}"
        connections.close_all()  # a template must have no other session
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"'
                          + (f' TEMPLATE "{connection.settings_dict["NAME"]}"' if template else ""))
        made.append(name)
        return name

    yield make
    with _admin() as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.dbtest
def test_postgresql_backup_change_restore_gives_back_every_row_and_file(pg_database, tmp_path):
    import psycopg

    name, home, out = pg_database(), tmp_path / "home", tmp_path / "backups"
    write_media(home, MEDIA_FILES)
    before = pg_content(name)
    assert before["auth_user"] and before["accounts_agency"]

    made = Path(last_line(dondoc("backup", "--out", str(out), db_url=pg_url(name), home=home)))
    manifest = json.loads((made / "manifest.json").read_text())
    assert manifest["engine"] == "postgresql" and manifest["database"]["name"] == name
    assert {f["path"] for f in manifest["files"]} == {"database.pgdump", *(f"media/{r}" for r in MEDIA_FILES)}

    with psycopg.connect(pg_url(name)) as con:
        con.execute("DELETE FROM accounts_membership")
        con.execute("UPDATE accounts_agency SET name = 'Đổi tên' WHERE code = 'STC'")
        con.execute("INSERT INTO django_session VALUES ('k', 'data', '2030-01-01 00:00:00+00')")
        con.execute("CREATE TABLE from_a_later_migration (id int)")
    (home / "var/media/reports/2020/bao-cao-thang-9.pdf").write_bytes(b"overwritten")
    assert pg_content(name) != before

    restored = dondoc("restore", str(made), "--yes", db_url=pg_url(name), home=home)
    assert restored.returncode == 0, restored.stderr
    assert pg_content(name) == before
    assert read_media(home) == MEDIA_FILES

    # A dump pg_restore cannot read (its manifest made to match): refused, the database left as it was.
    broken = shutil.copytree(made, tmp_path / "broken")
    dump = broken / "database.pgdump"
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    manifest["files"] = [dict(f, size=dump.stat().st_size, sha256=backup.sha256_of(dump))
                         if f["path"] == "database.pgdump" else f for f in manifest["files"]]
    (broken / "manifest.json").write_text(json.dumps(manifest))
    with psycopg.connect(pg_url(name)) as con:
        con.execute("DELETE FROM accounts_membership")
    changed = pg_content(name)
    failed = dondoc("restore", str(broken), "--yes", db_url=pg_url(name), home=home)
    assert failed.returncode == 1 and "pg_restore" in failed.stderr
    assert pg_content(name) == changed

    failed = dondoc("backup", "--out", str(out), db_url=pg_url("no_such_database"), home=home)
    assert failed.returncode == 1 and "pg_dump failed" in failed.stderr and "no_such_database" in failed.stderr
    assert sorted(p.name for p in out.iterdir()) == [made.name]


@pytest.mark.dbtest
def test_copydb_sqlite_to_postgresql_and_back_keeps_every_row(pg_database, tmp_path):
    import psycopg

    source = pg_database()
    counts = {t: len(rows) for t, rows in pg_content(source).items() if t != "django_migrations"}
    sqlite_file = tmp_path / "dondoc.sqlite3"

    to_sqlite = dondoc("copydb", "--to", f"sqlite:///{sqlite_file}", db_url=pg_url(source), home=tmp_path)
    assert to_sqlite.returncode == 0, to_sqlite.stderr + to_sqlite.stdout

    target = pg_database(template=False)  # empty: copydb migrates it
    result = dondoc("copydb", "--to", pg_url(target), db_url=f"sqlite:///{sqlite_file}", home=tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line.strip()}
    for table in ("auth_user", "django_session", "django_tasks_database_dbtaskresult", "core_auditevent",
                  "accounts_membership"):
        assert lines[table][-1] == "ok" and lines[table][1] == lines[table][2]
    assert {t: len(rows) for t, rows in pg_content(target).items() if t != "django_migrations"} == counts

    with psycopg.connect(pg_url(target)) as con:  # sequences follow the copied ids: the next insert works
        con.execute("INSERT INTO auth_group (name) VALUES ('after the move')")

    again = dondoc("copydb", "--to", pg_url(target), db_url=f"sqlite:///{sqlite_file}", home=tmp_path)
    assert again.returncode == 1 and "holds data" in again.stderr and "--force" in again.stderr
