"""The calendar CLI contract: call_command for the cases, one real subprocess for the installed script."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dondoc.core.models import CalendarOverride

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def out(capsys, *args):
    call_command("calendar", *args)
    return capsys.readouterr().out


def test_add(capsys):
    assert out(capsys, "add", "--from", "2020-01-20", "--days", "5", "--working") == "2020-02-03\n"
    assert out(capsys, "add", "--from", "2020-03-10", "--days", "5") == "2020-03-16\n"  # Sunday -> Monday
    assert out(capsys, "add", "--from", "2025-04-24", "--days", "2", "--working") == "2025-04-26\n"  # make-up Saturday
    explained = out(capsys, "add", "--from", "2020-01-20", "--days", "5", "--working", "--explain").splitlines()
    assert explained == ["2020-02-03", "hạn: 03/02/2020 — 05 ngày làm việc kể từ 20/01/2020"]


def test_between(capsys):
    assert out(capsys, "between", "--from", "2020-01-20", "--to", "2020-02-03") == "5\n"
    assert out(capsys, "between", "--from", "2020-02-03", "--to", "2020-01-20") == "-5\n"
    assert out(capsys, "between", "--from", "2025-04-25", "--to", "2025-05-05") == "4\n"


def test_holidays_json_and_table(capsys):
    rows = json.loads(out(capsys, "holidays", "--year", "2020", "--json"))
    assert [r["date"] for r in rows][:3] == ["2020-01-01", "2020-01-23", "2020-01-24"]
    assert all(set(r) == {"date", "name", "kind"} for r in rows)
    gio_to = next(r for r in rows if r["date"] == "2020-04-02")
    assert gio_to["kind"] == "holiday" and "Giỗ Tổ" in gio_to["name"]
    kinds = {r["date"]: r["kind"] for r in json.loads(out(capsys, "holidays", "--year", "2025", "--json"))}
    assert (kinds["2025-05-02"], kinds["2025-04-26"]) == ("swap_off", "makeup_workday")
    table = out(capsys, "holidays", "--year", "2021")
    assert "02/09/2021" in table and "03/09/2021" in table and "2021-09-02" not in table
    assert "not decided" in out(capsys, "holidays", "--year", "2027")


def test_override_add_list_remove(capsys):
    assert out(capsys, "override", "add", "--date", "2020-09-03", "--kind", "off", "--name", "Nghỉ",
               "--reference", "QĐ 1/QĐ-UBND") == "added 2020-09-03 override_off\n"
    assert out(capsys, "add", "--from", "2020-09-01", "--days", "1", "--working") == "2020-09-04\n"
    kinds = {r["date"]: r["kind"] for r in json.loads(out(capsys, "holidays", "--year", "2020", "--json"))}
    assert kinds["2020-09-03"] == "override_off"
    assert "QĐ 1/QĐ-UBND" in out(capsys, "override", "list")
    assert out(capsys, "override", "remove", "--date", "2020-09-03") == "removed 2020-09-03\n"
    assert not CalendarOverride.objects.exists()
    with pytest.raises(CommandError) as exc:
        call_command("calendar", "override", "remove", "--date", "2020-09-03")
    assert exc.value.returncode == 1


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["add", "--from", "2020-13-01", "--days", "5"], 2),
        (["between", "--from", "2020-01-01", "--to", "hôm nay"], 2),
        (["add", "--from", "2020-01-01", "--days", "-1"], 1),
        (["add", "--from", "1990-01-01", "--days", "1"], 1),
        (["holidays", "--year", "1990"], 1),
    ],
)
def test_rejected_input_and_bad_dates(args, code):
    with pytest.raises(CommandError) as exc:
        call_command("calendar", *args)
    assert exc.value.returncode == code


def test_installed_script_from_outside(tmp_path):
    """The contract as an outside checker sees it: a fresh process, a fresh (unmigrated) database."""
    script = Path(sys.executable).parent / "dondoc"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "DONDOC_DEBUG": "1"}
    env.pop("PYTEST_VERSION", None)
    done = subprocess.run([str(script), "calendar", "add", "--from", "2020-01-20", "--days", "5", "--working"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "2020-02-03\n", "")
    bad = subprocess.run([str(script), "calendar", "between", "--from", "20/13/2020", "--to", "2020-01-01"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert bad.returncode == 2 and "--from" in bad.stderr and bad.stdout == ""
    usage = subprocess.run([str(script), "calendar", "add", "--days", "5"], capture_output=True, text=True, env=env,
                           cwd=ROOT, timeout=60)
    assert usage.returncode == 2 and "--from" in usage.stderr
