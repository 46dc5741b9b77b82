"""Benchmark: the consolidated monthly report for a province of 40 agencies × 70 tasks.

Builds a throwaway SQLite database (every agency assigned every task, every agency reporting on each task), then
times the .docx report and the .xlsx annex. Target: under 3 s. Usage: .venv/bin/python scripts/bench_report.py
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

AGENCIES, TASKS = 40, 70


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="dondoc-bench-")
    os.environ.update(DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3", DONDOC_DEBUG="1", DONDOC_TODAY="2020-10-05")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from dondoc.accounts import actions as account_actions
    from dondoc.accounts.models import Agency, AgencyGroup, Role
    from dondoc.core import clock
    from dondoc.documents.official import build_docx
    from dondoc.documents.spreadsheet import build_xlsx
    from dondoc.programs import actions as program_actions
    from dondoc.reporting import actions, consolidated
    from dondoc.reporting.models import Obligation

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    for i in range(Agency.objects.count(), AGENCIES):
        account_actions.create_agency(actor=None, code=f"BENCH{i}", name=f"Ban quản lý dự án số {i}", kind="department")
    group = AgencyGroup.objects.create(code="@ALL", name="Tất cả")
    group.members.set(Agency.objects.all()[:AGENCIES])
    parsed = {
        "document": {"number": "99/KH-UBND", "type": "KH", "date": "2020-06-30", "title": "Kế hoạch thử"},
        "reporting": [{"every": "month", "before_day": 25, "to": ["SKHDT"], "literal": "trước ngày 25 hàng tháng"}],
        "tasks": [{"part": "II", "section": f"{1 + t // 10}.{t % 10 + 1}", "item": "1", "lead": ["@ALL"], "partners": [],
                   "text": f"Nhiệm vụ thử số {t + 1} " + "triển khai giải pháp " * 8,
                   "due": [{"date": "2020-12-31", "rule": "by", "literal": "đến hết năm 2020"}], "targets": []}
                  for t in range(TASKS)],
    }
    at = clock.now()
    program = program_actions.load_program(actor=None, parsed=parsed, at=at).program
    obligation = Obligation.objects.get(program=program)
    users = get_user_model().objects
    for agency in Agency.objects.filter(groups=group):
        head = account_actions.create_user(actor=None, username=f"h{agency.pk}")
        account_actions.add_membership(actor=None, user=head, agency=agency, role=Role.AGENCY_HEAD)
        report = actions.open_report(actor=head, obligation=obligation, agency=agency, period=dt.date(2020, 9, 1))
        tasks = [{**t, "done": "Đã triển khai theo kế hoạch, đạt 80% khối lượng.", "difficulties": "Vướng mặt bằng."}
                 for t in report.draft["tasks"]]
        actions.save_draft(actor=head, report=report, data={"tasks": tasks, "recommendations": ["Đề nghị hỗ trợ."]},
                           on=dt.date(2020, 9, 20), at=at)
        actions.submit(actor=head, report=report, on=dt.date(2020, 9, 20), at=at)
    print(f"data: {Agency.objects.filter(groups=group).count()} agencies × {TASKS} tasks, "
          f"{users.count()} users, {obligation.reports.count()} reports")

    def once(kind):
        start = time.perf_counter()
        if kind == "docx":
            doc = consolidated.build(program, dt.date(2020, 9, 1), as_of=dt.date(2020, 10, 5), date=dt.date(2020, 10, 5))
            size = len(build_docx(doc))
        else:
            size = len(build_xlsx(consolidated.annex(program, dt.date(2020, 9, 1), as_of=dt.date(2020, 10, 5))))
        return time.perf_counter() - start, size

    for kind in ("docx", "xlsx"):
        runs = [once(kind) for _ in range(5)]
        median = statistics.median(t for t, _ in runs)
        print(f"{kind}: median {median:.3f} s over 5 runs ({runs[0][1]:,} bytes); target 3 s → ratio {median / 3:.2f}")


if __name__ == "__main__":
    main()
