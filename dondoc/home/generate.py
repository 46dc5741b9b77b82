"""Synthetic data at scale: five years (2020–2025) of a large province on top of the demo.

``dondoc generate --scale large --seed 1`` (after ``dondoc load_demo``) brings the database to the sizes of issue 13
(150 agencies, 10 programs, 1,001 tasks, ~20,000 assignments, 8,500 reports, 50,000 dossiers, 10,000 petitions,
5,000 projects, 36,000 plan lines, ~1,000,000 disbursements, 500,000 audit events); ``xlarge`` is three times that.
The sizes are TOTALS (demo rows included): the generator adds what is missing.

This is SEEDING, like a fixture loader (``load_demo``), not a user action: rows are written with ``bulk_create`` and,
for the two big tables (disbursements, audit events), one ``executemany`` per chunk, inside transactions — the
actions' per-row audit is not called. The audit events it writes are a synthetic history of the rows it creates
(intake, routing, answers, submissions, dossier events …), stamped with their business dates. Stored derived values
are computed as the product computes them, with its own functions: task deadlines (``task_deadline``), petition
answer deadlines (``petitions.actions.compute_deadline``), report due days (``reporting.queries.due``), dossier
completion dates (the working calendar). The final ``derive`` step calls the rebuild functions of stored summaries.

Every random choice comes from one ``random.Random(seed)``, and rows are produced in a fixed order, so the same seed
on the same demo gives the same rows (the demo's own random petition tracking codes aside). The history ends on
31/12/2025: states are coherent with that date (open items received late in 2025, overdue ones before).
A second run refuses (exit 1): the generated batch is recorded as ``ImportBatch(kind=demo, file_hash=generate:…)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from dondoc.accounts import models as accounts_models
from dondoc.accounts import reference as accounts_reference
from dondoc.accounts.models import Agency, AgencyGroup, AgencyKind, Membership, Role
from dondoc.core import audit
from dondoc.core.calendar import get_calendar
from dondoc.core.models import AuditEvent
from dondoc.deadlines import actions as deadlines_actions
from dondoc.deadlines.models import Dossier, DossierPause, DossierType
from dondoc.domain import reporting_cycle as rc
from dondoc.domain.task_deadlines import task_deadline
from dondoc.domain.text import search_key
from dondoc.domain.workdays import Pause
from dondoc.investment import demo as investment_demo
from dondoc.investment import summary as investment_summary
from dondoc.investment.models import (
    Assigner,
    BudgetLevel,
    Disbursement,
    ImportBatch,
    Investor,
    PlanLine,
    Project,
    Rule,
    RuleSet,
    Source,
)
from dondoc.petitions import demo as petitions_demo
from dondoc.petitions import models as petitions_models
from dondoc.petitions.actions import compute_deadline
from dondoc.petitions.models import Channel, Petition, PetitionCategory, Routing, State, Update
from dondoc.programs.actions import content_hash
from dondoc.programs.models import (
    ActionProgram,
    Assignment,
    AssignmentRole,
    Extension,
    ExtensionState,
    ProgramVersion,
    Task,
    TaskUpdate,
)
from dondoc.reporting import queries as reporting_queries
from dondoc.reporting.actions import ensure_obligations
from dondoc.reporting.models import Obligation, Report, ReportState, ReportVersion

START, END = dt.date(2020, 1, 1), dt.date(2025, 12, 31)  # the generated history; nothing happens after END
MARK = "generate"

KINDS = ["agencies", "programs", "tasks", "assignments", "reports", "dossiers", "petitions", "projects",
         "plan_lines", "disbursements", "audit_events"]
LARGE = {"agencies": 150, "programs": 10, "tasks": 1001, "reports": 8500, "dossiers": 50_000, "petitions": 10_000,
         "projects": 5000, "plan_lines": 36_000, "disbursements": 1_000_000, "audit_events": 500_000}
SCALES = {
    "large": LARGE,
    "xlarge": {k: 3 * v for k, v in LARGE.items()},
    # For tests only (hidden from --help): a few rows of each kind above the demo.
    "tiny": {"agencies": 44, "programs": 3, "tasks": 95, "reports": 170, "dossiers": 170, "petitions": 90,
             "projects": 330, "plan_lines": 1050, "disbursements": 6500, "audit_events": 3000},
}
PUBLIC_SCALES = ("large", "xlarge")

# Units the reference registry lacks: (code, name, kind). Departments and central agencies join "@SBN".
UNITS = [
    ("TTRA", "Thanh tra tỉnh", "department"), ("BDT", "Ban Dân tộc tỉnh", "department"),
    ("TTHCC", "Trung tâm Phục vụ hành chính công tỉnh", "department"),
    ("BQLDADD", "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh", "department"),
    ("BQLDAGT", "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh", "department"),
    ("BQLDANN", "Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và PTNT tỉnh", "department"),
    ("VQGHL", "Vườn quốc gia Hoàng Liên", "department"), ("QDTPT", "Quỹ Đầu tư phát triển tỉnh", "department"),
    ("TTXTDT", "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh", "department"),
    ("DPTTH", "Đài Phát thanh - Truyền hình tỉnh", "department"),
    ("BVDKT", "Bệnh viện Đa khoa tỉnh", "department"), ("CDLC", "Trường Cao đẳng Lào Cai", "department"),
    ("BHXH", "Bảo hiểm xã hội tỉnh", "central"), ("CHQ", "Cục Hải quan tỉnh", "central"),
    ("CTK", "Cục Thống kê tỉnh", "central"), ("BCHQS", "Bộ Chỉ huy Quân sự tỉnh", "central"),
    ("BDBP", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "central"),
    ("NHCSXH", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh", "central"),
    ("CTHADS", "Cục Thi hành án dân sự tỉnh", "central"),
]
OFFICES = [("TCKH", "Phòng Tài chính - Kế hoạch"), ("TNMT", "Phòng Tài nguyên và Môi trường"),
           ("KTHT", "Phòng Kinh tế và Hạ tầng"), ("NN", "Phòng Nông nghiệp và Phát triển nông thôn"),
           ("GDDT", "Phòng Giáo dục và Đào tạo"), ("YT", "Phòng Y tế"),
           ("LDTBXH", "Phòng Lao động - Thương binh và Xã hội"), ("VHTT", "Phòng Văn hóa và Thông tin"),
           ("TP", "Phòng Tư pháp"), ("NV", "Phòng Nội vụ"), ("BQLDA", "Ban Quản lý dự án đầu tư xây dựng")]
THEMES = [
    "tháo gỡ khó khăn cho sản xuất kinh doanh, thúc đẩy giải ngân vốn đầu tư công",
    "cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh cấp tỉnh",
    "phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi",
    "đẩy mạnh chuyển đổi số, phát triển chính quyền số",
    "phục hồi và phát triển kinh tế - xã hội sau đại dịch Covid-19",
    "thực hiện kế hoạch đầu tư công trung hạn giai đoạn 2021-2025",
    "xây dựng nông thôn mới và giảm nghèo bền vững",
    "phát triển du lịch trở thành ngành kinh tế mũi nhọn",
    "cải cách hành chính, nâng cao chỉ số hài lòng của người dân",
    "phát triển kinh tế cửa khẩu và hợp tác quốc tế",
]
NEW_DOSSIER_TYPES = [  # (code, name, days, working, desks: agency codes, or "*OFFICE" for every district's office)
    ("land-allocation", "Giao đất, cho thuê đất", 20, True, ["STNMT", "*TNMT"]),
    ("construction-permit", "Cấp giấy phép xây dựng", 15, True, ["SGTVTXD", "*KTHT"]),
    ("investment-policy", "Chấp thuận chủ trương đầu tư", 35, False, ["SKHDT", "BQLKKT"]),
    ("business-registration", "Đăng ký doanh nghiệp", 3, True, ["SKHDT"]),
]
OLD_DESKS = {"appraisal": ["SKHDT", "STC", "SGTVTXD", "*TCKH"], "payment": ["KBNN"]}
PREFIX = {"appraisal": "TĐ", "payment": "TT", "land-allocation": "GĐ", "construction-permit": "GPXD",
          "investment-policy": "CTĐT", "business-registration": "ĐKDN"}
DONE = ["Đã ban hành văn bản chỉ đạo, giao nhiệm vụ cụ thể cho các phòng, đơn vị trực thuộc.",
        "Đã tổ chức hội nghị đối thoại với doanh nghiệp, tiếp nhận các kiến nghị.",
        "Đã rà soát, tổng hợp số liệu và báo cáo theo yêu cầu.",
        "Đã hướng dẫn các chủ đầu tư hoàn thiện hồ sơ thanh toán khối lượng hoàn thành."]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Giàng", "Lò", "Vàng"]
GIVEN = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Quang Minh", "Thu Hà", "Văn Sơn", "Thị Mai", "Seo Phử",
         "Văn Thào", "Thị Hương", "Quốc Tuấn"]
BUSINESS_KINDS = ["Công ty TNHH", "Công ty CP", "Công ty TNHH MTV", "Hợp tác xã", "Doanh nghiệp tư nhân"]
BUSINESS_WORDS = ["Hoàng Liên", "Kim Thành", "Sa Pa Xanh", "Cốc Lếu", "Tằng Loỏng", "Bảo Thắng", "Minh Phát",
                  "Văn Bàn", "Bắc Hà", "Phố Mới", "Duyên Hải", "Bản Phiệt", "Mường Khương", "Y Tý", "Hà Khẩu"]
BUSINESS_TRADES = ["Xây dựng", "Thương mại", "Nông sản", "Du lịch", "Vận tải", "Khoáng sản", "Xuất nhập khẩu",
                   "Chế biến gỗ", "Dược liệu", "Đầu tư hạ tầng"]


class Refused(Exception):
    pass


def sizes(scale: str) -> dict[str, int]:
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose {' or '.join(PUBLIC_SCALES)}")
    return SCALES[scale]


# --- low-level writing ----------------------------------------------------------------------------------------


def _insert(model, columns: list[str], rows: Iterable[tuple], chunk: int = 20_000) -> int:
    """executemany of prepared rows (values already adapted for the database) into ``model``'s table."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    one = f"({', '.join(['%s'] * len(columns))})"
    sql = f"INSERT INTO {table} ({cols}) VALUES {one}"
    # PostgreSQL: one statement per 500 rows (executemany would send one per row); SQLite: executemany is fastest.
    per = 500 if connection.vendor == "postgresql" else 1
    many = f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * per)}"
    n, buf = 0, []

    def flush(cursor, buf):
        if per == 1:
            cursor.executemany(sql, buf)
            return
        full = len(buf) // per * per
        if full:
            cursor.executemany(many, [[v for row in buf[i:i + per] for v in row] for i in range(0, full, per)])
        if full < len(buf):
            cursor.executemany(sql, buf[full:])

    with connection.cursor() as cursor:
        for row in rows:
            buf.append(row)
            if len(buf) >= chunk:
                flush(cursor, buf)
                n += len(buf)
                buf = []
        if buf:
            flush(cursor, buf)
            n += len(buf)
    return n


class Adapt:
    """Dates, datetimes and JSON as the database adapter wants them (strings on SQLite), cached per date."""

    def __init__(self):
        self.ops = connection.ops
        self._dates: dict = {}
        self.tz = timezone.get_default_timezone()

    def date(self, d: dt.date | None):
        if d is None:
            return None
        v = self._dates.get(d)
        if v is None:
            v = self._dates[d] = self.ops.adapt_datefield_value(d)
        return v

    def moment(self, d: dt.date, minutes: int = 0) -> dt.datetime:
        """An aware business moment on ``d`` (office hours)."""
        return dt.datetime(d.year, d.month, d.day, 8 + minutes // 60 % 9, minutes % 60, tzinfo=self.tz)

    def datetime(self, value: dt.datetime | None):
        return None if value is None else self.ops.adapt_datetimefield_value(value)

    @staticmethod
    def json(value):
        return None if value is None else json.dumps(value, default=str)


class Audit:
    """The synthetic audit history, written in chunks, never beyond its budget."""

    COLUMNS = ["at", "recorded_at", "actor", "actor_name", "kind", "agency", "target_type", "target_id",
               "target_repr", "old", "new", "note"]

    def __init__(self, budget: int, adapt: Adapt, names: dict[int, str]):
        self.budget, self.adapt, self.names, self.written = budget, adapt, names, 0
        self.recorded = adapt.datetime(timezone.now())

    def write(self, events: Iterable[tuple]) -> int:
        """events: (at, actor_id, kind, agency_id, target_type, target_id, target_repr, old, new)."""
        a = self.adapt

        def rows():
            for at, actor, kind, agency, ttype, tid, trepr, old, new in events:
                if self.written >= self.budget:
                    return
                self.written += 1
                yield (a.datetime(at), self.recorded, actor, self.names.get(actor, audit.SYSTEM) if actor else audit.SYSTEM,
                       kind, agency, ttype, str(tid), trepr[:255], a.json(old), a.json(new), "")

        return _insert(AuditEvent, self.COLUMNS, rows())

    @property
    def left(self) -> int:
        return max(0, self.budget - self.written)


# --- the generator -----------------------------------------------------------------------------------------------


class Generator:
    def __init__(self, *, scale: str, seed: int, write: Callable[[str], None] = print):
        self.target = sizes(scale)
        self.scale, self.seed, self.write = scale, seed, write
        self.rng = random.Random(seed)
        self.cal = get_calendar()
        self.adapt = Adapt()
        self.added: dict[str, int] = dict.fromkeys(KINDS, 0)

    # helpers
    def working_day(self, lo: dt.date = START, hi: dt.date = END) -> dt.date:
        d = lo + dt.timedelta(days=self.rng.randrange((hi - lo).days + 1))
        d = self.cal.next_working_day(d)
        return d if d <= hi else self.cal.previous_working_day(hi)

    def add_wd(self, d: dt.date, n: int) -> dt.date:
        return self.cal.add_days(d, n, working=True)

    def person(self) -> str:
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(GIVEN)}"

    # --- run ---
    def run(self) -> dict[str, int]:
        if ImportBatch.objects.filter(kind=ImportBatch.Kind.DEMO, file_hash__startswith=f"{MARK}:").exists():
            raise Refused("synthetic data was already generated in this database; start from a fresh one")
        if not Agency.objects.filter(code="SKHDT").exists() or not get_user_model().objects.filter(
                username="admin").exists():
            raise Refused("run `dondoc load_demo` first: the generator adds to the demo")
        with transaction.atomic():
            ImportBatch.objects.create(kind=ImportBatch.Kind.DEMO, file_name=f"{MARK} {self.scale} seed {self.seed}",
                                       file_hash=f"{MARK}:{self.scale}:{self.seed}",
                                       options={"synthetic": True, "scale": self.scale, "seed": self.seed})
        self.audit_total = self.target["audit_events"] - AuditEvent.objects.count()
        steps = [self.agencies, self.programs, self.reports, self.dossiers, self.investment, self.petitions,
                 self.audit_padding, self.derive]
        for step in steps:
            started = time.monotonic()
            with transaction.atomic():
                step()
            self.write(f"  {step.__name__}: {time.monotonic() - started:.1f} s")
        return self.added

    def _users(self):
        User = get_user_model()
        self.admin_id = User.objects.get(username="admin").pk
        self.leader_id = User.objects.filter(username="lanhdao").values_list("pk", flat=True).first() or self.admin_id
        self.officer: dict[int, int] = {}
        self.head: dict[int, int] = {}
        for user_id, agency_id, role in Membership.objects.values_list("user_id", "agency_id", "role").order_by("id"):
            if role == Role.AGENCY_OFFICER:
                self.officer.setdefault(agency_id, user_id)
            elif role == Role.AGENCY_HEAD:
                self.head.setdefault(agency_id, user_id)
        self.names = dict(User.objects.values_list("pk", "username"))
        self.audit = Audit(max(0, self.audit_total), self.adapt, self.names)

    # --- agencies, accounts, groups ---
    def agencies(self):
        existing = {a.code: a for a in Agency.objects.all()}
        need = self.target["agencies"] - len(existing)
        valid_from = accounts_reference.read().get("valid_from")
        valid_from = dt.date.fromisoformat(valid_from) if valid_from else None
        districts = [a for a in existing.values() if a.kind == AgencyKind.DISTRICT]
        districts.sort(key=lambda a: a.code)
        plan: list[tuple[str, str, str, Agency | None]] = []
        for code, name, kind in UNITS:
            plan.append((code, name, kind, existing.get("UBND")))
        for off, label in OFFICES:
            for d in districts:
                plan.append((f"{d.code}-{off}", f"{label} {d.name.removeprefix('UBND ')}", AgencyKind.OTHER, d))
        places = investment_demo.PLACES
        k = 0
        while len(plan) < need + len(existing) + 10:
            d = districts[k % len(districts)]
            plan.append((f"{d.code}-X{k // len(districts) + 1:02d}",
                         f"UBND xã {places[k % len(places)]} ({d.name.removeprefix('UBND ')}) {k // len(places) + 1}",
                         AgencyKind.OTHER, d))
            k += 1
        new = [Agency(code=c, name=n, search_name=search_key(n), kind=kind, parent=p, valid_from=valid_from,
                      email=f"{c.lower()}@example.invalid")
               for c, n, kind, p in plan if c not in existing][:max(0, need)]
        Agency.objects.bulk_create(new)
        self.added["agencies"] = len(new)
        sbn = AgencyGroup.objects.filter(code="@SBN").first()
        if sbn:
            through = AgencyGroup.members.through
            through.objects.bulk_create([through(agencygroup_id=sbn.pk, agency_id=a.pk) for a in new
                                         if a.kind in (AgencyKind.DEPARTMENT, AgencyKind.CENTRAL)])
        User = get_user_model()
        password = make_password("demo")
        users = []
        for a in new:
            for suffix in ("", "_ld"):
                username = f"{a.code.lower()}{suffix}"
                users.append(User(username=username, password=password, email=f"{username}@example.invalid"))
        User.objects.bulk_create(users)
        by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
        Membership.objects.bulk_create(
            [Membership(user=by_name[f"{a.code.lower()}{s}"], agency=a, role=r) for a in new
             for s, r in (("", Role.AGENCY_OFFICER), ("_ld", Role.AGENCY_HEAD))])
        self.agency_by_code = {a.code: a for a in Agency.objects.all()}
        self.agency_ids = {a.pk: a for a in self.agency_by_code.values()}
        self._users()
        t = self.adapt.moment(valid_from or START)
        self.audit.write((t, None, "agency.create", a.pk, "accounts.agency", a.pk, a.name, None,
                          {"code": a.code, "name": a.name, "kind": a.kind}) for a in new)

    # --- programs, tasks, assignments ---
    def programs(self):
        rng, cal = self.rng, self.cal
        demo = ProgramVersion.objects.order_by("id").first()
        templates = (demo.parsed.get("tasks") if demo else None) or [
            {"text": "Chủ trì, phối hợp với các cơ quan liên quan triển khai thực hiện nhiệm vụ được giao."}]
        header = dict(demo.parsed.get("document", {})) if demo else {"type": "CTr", "issuer": "UBND", "place": "Lào Cai"}
        reporting = demo.parsed.get("reporting") if demo else [{"every": "month", "before_day": 25, "to": ["SKHDT"]}]
        n_programs = max(0, self.target["programs"] - ActionProgram.objects.count())
        n_tasks = max(0, self.target["tasks"] - Task.objects.count())
        if not n_programs:
            self.program_tasks: list = []
            return
        groups = {g.code: sorted(g.members.values_list("pk", flat=True)) for g in AgencyGroup.objects.all()}
        leads = [a for a in self.agency_by_code.values() if a.kind in ("department", "central", "district")]
        leads.sort(key=lambda a: a.code)
        offices = sorted((a for a in self.agency_by_code.values() if a.kind == "other" and "-" in a.code
                          and "-X" not in a.code), key=lambda a: a.code)
        span = (dt.date(2025, 6, 30) - dt.date(2020, 7, 15)).days
        self.program_tasks = []  # (task, [assignment]) of the generated programs
        all_assignments, all_updates, extensions = [], [], []
        for i in range(n_programs):
            issued = dt.date(2020, 7, 15) + dt.timedelta(days=span * i // max(1, n_programs - 1) if n_programs > 1 else 0)
            number = f"{100 + i * 7}/CTr-UBND"
            theme = THEMES[i % len(THEMES)]
            count = n_tasks // n_programs + (1 if i < n_tasks % n_programs else 0)
            tasks = []
            for j in range(count):
                tpl = templates[(i * 17 + j) % len(templates)]
                lead_labels = ["@HUYEN"] if rng.random() < 0.08 else [rng.choice(leads).code]
                partners: list[str] = []
                if rng.random() < 0.33:
                    partners.append("@SBN")
                if rng.random() < 0.4:
                    partners.append("@HUYEN")
                partners += [a.code for a in rng.sample(leads, rng.randint(1, 5))]
                if offices and rng.random() < 0.3:
                    partners += [a.code for a in rng.sample(offices, rng.randint(2, 6))]
                due = []
                if rng.random() < 0.85:
                    day = issued + dt.timedelta(days=rng.randint(30, 1100))
                    day = min(day, dt.date(2026, 6, 30))
                    if rng.random() < 0.5:
                        due = [{"date": day.isoformat(), "rule": "before", "literal": f"trước ngày {day:%d/%m/%Y}"}]
                    else:
                        last = rc.add_months(day.replace(day=1), 1) - dt.timedelta(days=1)
                        due = [{"date": last.isoformat(), "rule": "by", "literal": f"tháng {last:%m/%Y}"}]
                tasks.append({"part": "II", "section": f"{j // 8 + 1}.{j % 8 + 1}", "item": str(j % 5 + 1),
                              "lead": lead_labels, "partners": partners, "text": tpl["text"], "due": due,
                              "recurrence": None, "time_limit": None, "targets": []})
            parsed = {"document": {**header, "number": number, "date": issued.isoformat(),
                                   "title": f"CHƯƠNG TRÌNH HÀNH ĐỘNG VỀ {theme.upper()}"},
                      "reporting": reporting, "tasks": tasks}
            at = self.adapt.moment(issued)
            program = ActionProgram.objects.create(
                number=number, doc_type="CTr", title=parsed["document"]["title"], issuer="UBND",
                issuer_agency=self.agency_by_code.get("UBND"), place=header.get("place", ""), issued_on=issued,
                signer=header.get("signer", ""))
            version = ProgramVersion.objects.create(program=program, number=1, content_hash=content_hash(parsed),
                                                    source_name=f"{number.replace('/', '-')}.docx", parsed=parsed)
            rows = []
            for pos, row in enumerate(tasks, start=1):
                eff = task_deadline(row["due"], row["targets"], cal, program.before_reading)
                rows.append(Task(version=version, position=pos, part=row["part"], section=row["section"],
                                 item=row["item"], text=row["text"], lead_labels=row["lead"],
                                 partner_labels=row["partners"], due=row["due"], targets=[],
                                 deadline=eff.date if eff else None, deadline_rule=eff.explanation if eff else ""))
            Task.objects.bulk_create(rows)
            for task in rows:
                seen: set[int] = set()
                mine = []
                for role, labels in ((AssignmentRole.LEAD, task.lead_labels),
                                     (AssignmentRole.PARTNER, task.partner_labels)):
                    for label in labels:
                        ids = groups.get(label, []) if label.startswith("@") else [self.agency_by_code[label].pk]
                        for agency_id in ids:
                            if agency_id in seen:
                                continue
                            seen.add(agency_id)
                            mine.append(Assignment(task=task, agency_id=agency_id, role=role,
                                                   via_group=label if label.startswith("@") else "",
                                                   deadline=task.deadline))
                self._fate(task, mine, issued, all_updates, extensions)
                all_assignments += mine
                self.program_tasks.append((program, task, mine))
            self.audit.written += len(ensure_obligations(actor=None, program=program, parsed=parsed, at=at))
            self.audit.write([(at, None, "program.create", None, "programs.actionprogram", program.pk, number, None,
                               {"number": number, "issued_on": issued.isoformat()}),
                              (at, None, "program.version", None, "programs.programversion", version.pk,
                               f"{number} v1", None, {"number": 1, "tasks": len(rows)})])
            self.added["programs"] += 1
            self.added["tasks"] += len(rows)
        Assignment.objects.bulk_create(all_assignments, batch_size=5000)
        self.added["assignments"] = len(all_assignments)
        # bulk_create takes each foreign key id from its object saved above (and keeps the object cached)
        TaskUpdate.objects.bulk_create(all_updates, batch_size=5000)
        Extension.objects.bulk_create(extensions)
        self.audit.write((self.adapt.moment(u.reported_on, 30), u.author_id, "assignment.update",
                          u.assignment.agency_id, "programs.assignment", u.assignment.pk,
                          f"{u.assignment.task} — {self.agency_ids[u.assignment.agency_id].code}", None,
                          {"text": u.text, "percent": u.percent, "reported_on": u.reported_on.isoformat(),
                           **({"completes": True} if u.completes else {})}) for u in all_updates)

    def _fate(self, task, assignments, issued, updates, extensions):
        """Completion as of END: past deadlines mostly met (some late, some still overdue), later ones partly done."""
        rng = self.rng
        for a in assignments:
            officer = self.officer.get(a.agency_id)
            roll = rng.random()
            deadline = a.deadline
            done = None
            if deadline and deadline < END:
                if roll < 0.6:
                    done = max(issued, deadline - dt.timedelta(days=rng.randint(0, 20)))
                elif roll < 0.82:
                    done = deadline + dt.timedelta(days=rng.randint(3, 90))
                elif roll < 0.84 and a.role == AssignmentRole.LEAD:
                    proposed = deadline + dt.timedelta(days=rng.randint(30, 120))
                    state = rng.choice(list(ExtensionState.values))
                    extensions.append(Extension(
                        assignment=a, state=state, current_deadline=deadline, proposed_deadline=proposed,
                        reason="Vướng mắc giải phóng mặt bằng, thủ tục đầu tư; đề nghị gia hạn.",
                        requested_by_id=officer,
                        dpi_note="Sở KH&ĐT thống nhất đề xuất." if state != ExtensionState.REQUESTED else "",
                        dpi_by_id=self.admin_id if state != ExtensionState.REQUESTED else None,
                        dpi_at=self.adapt.moment(deadline) if state != ExtensionState.REQUESTED else None,
                        decided_by_id=self.leader_id if state in ("approved", "rejected") else None,
                        decided_at=self.adapt.moment(deadline + dt.timedelta(days=5))
                        if state in ("approved", "rejected") else None))
                    if state == ExtensionState.APPROVED:
                        a.deadline = proposed
            elif roll < 0.3:
                done = min(END, issued + dt.timedelta(days=rng.randint(10, 400)))
            if done and done > END:
                done = None
            if done:
                a.completed_on = done
                updates.append(TaskUpdate(assignment=a, author_id=officer, reported_on=done, completes=True,
                                          text="Đã hoàn thành nhiệm vụ được giao.", percent=100))
            elif deadline and roll < 0.92 and a.role == AssignmentRole.LEAD:
                on = min(END, max(issued, deadline - dt.timedelta(days=rng.randint(1, 30))))
                updates.append(TaskUpdate(assignment=a, author_id=officer, reported_on=on, percent=rng.randint(20, 90),
                                          text="Đang triển khai theo kế hoạch; đã giao nhiệm vụ cụ thể cho các phòng."))

    # --- monthly reports ---
    def reports(self):
        rng = self.rng
        need = max(0, self.target["reports"] - Report.objects.count())
        if not need:
            return
        by_program: dict[int, dict[int, list]] = {}
        for a in Assignment.objects.filter(task__version__program__obligations__every="month").values(
                "pk", "agency_id", "role", "task__section", "task__item", "completed_on",
                "task__version__program_id").order_by("pk"):
            by_program.setdefault(a["task__version__program_id"], {}).setdefault(a["agency_id"], []).append(a)
        taken = set(Report.objects.values_list("obligation_id", "agency_id", "period"))
        candidates = []
        for ob in Obligation.objects.filter(every="month").order_by("pk"):
            agencies = sorted(by_program.get(ob.program_id, {}))
            for period in rc.periods("month", ob.first_period, dt.date(2025, 12, 1)):
                for agency_id in agencies:
                    if (ob.pk, agency_id, period) not in taken:
                        candidates.append((ob, agency_id, period))
        chosen = sorted(rng.sample(range(len(candidates)), min(need, len(candidates))))
        reports, versions, events, dues = [], [], [], {}
        for idx in chosen:
            ob, agency_id, period = candidates[idx]
            if (ob.pk, period) not in dues:
                dues[ob.pk, period] = reporting_queries.due(ob, period).due
            due = dues[ob.pk, period]
            officer, head = self.officer.get(agency_id), self.head.get(agency_id)
            items = by_program[ob.program_id][agency_id][:6]
            draft = {"tasks": [{"assignment": a["pk"], "key": f"{a['task__section']}.{a['task__item']}",
                                "role": a["role"], "status": "done" if a["completed_on"] and a["completed_on"] <= due
                                else "in_progress", "done": rng.choice(DONE), "figures": "", "difficulties": ""}
                               for a in items],
                     "indicators": {}, "recommendations": [], "difficulties": ""}
            r = rng.random()
            submitted = due + dt.timedelta(days=-rng.randint(1, 9) if r < 0.75 else rng.randint(1, 7))
            drafted = min(submitted, due) - dt.timedelta(days=2)
            report = Report(obligation=ob, agency_id=agency_id, period=period, draft=draft)
            rver = []
            if submitted > END or (period >= dt.date(2025, 11, 1) and r > 0.9):
                report.state = ReportState.DRAFT
            else:
                report.first_submitted_on = submitted
                last = submitted
                rver.append((1, submitted))
                s = rng.random()
                if s < 0.05:
                    report.state, report.return_reason = ReportState.RETURNED, "Đề nghị bổ sung số liệu chỉ tiêu."
                elif s < 0.10 and submitted + dt.timedelta(days=5) <= END:
                    last = submitted + dt.timedelta(days=5)
                    rver.append((2, last))
                    report.state = ReportState.RESUBMITTED
                elif s < 0.18 or submitted + dt.timedelta(days=3) > END:
                    report.state = ReportState.SUBMITTED
                else:
                    report.state = ReportState.ACCEPTED
                    report.accepted_at = self.adapt.moment(submitted + dt.timedelta(days=3), 120)
                report.last_submitted_at = self.adapt.moment(last, 60)
                report.version = len(rver) + 1
            reports.append((report, rver, drafted, officer, head))
        Report.objects.bulk_create([r for r, *_ in reports], batch_size=2000)
        for report, rver, drafted, officer, head in reports:
            repr_ = f"{self.agency_ids[report.agency_id].code} {report.period:%m/%Y}"
            t = "reporting.report"
            events.append((self.adapt.moment(drafted), officer, "report.create", report.agency_id, t, report.pk, repr_,
                           None, {"period": report.period.isoformat()}))
            events.append((self.adapt.moment(drafted, 30), officer, "report.save", report.agency_id, t, report.pk,
                           repr_, None, {"on": drafted.isoformat()}))
            for number, on in rver:
                versions.append(ReportVersion(report=report, number=number, content=report.draft, submitted_by_id=head,
                                              submitted_at=self.adapt.moment(on, 60), submitted_on=on))
                events.append((self.adapt.moment(on, 60), head, "report.submit", report.agency_id, t, report.pk,
                               repr_, {"state": "draft"}, {"state": "submitted", "version": number,
                                                           "on": on.isoformat()}))
            if report.accepted_at:
                events.append((report.accepted_at, self.admin_id, "report.accept", report.agency_id, t, report.pk,
                               repr_, {"state": "submitted"}, {"state": "accepted"}))
            if report.state == ReportState.RETURNED:
                events.append((self.adapt.moment(rver[0][1] + dt.timedelta(days=2)), self.admin_id, "report.return",
                               report.agency_id, t, report.pk, repr_, {"state": "submitted"}, {"state": "returned"}))
        ReportVersion.objects.bulk_create(versions, batch_size=2000)
        self.added["reports"] = len(reports)
        self.audit.write(events)

    # --- SLA dossiers ---
    def dossiers(self):
        need = max(0, self.target["dossiers"] - Dossier.objects.count())
        if not need:
            return
        codes = self.agency_by_code
        skhdt = codes.get("SKHDT")
        types = {t.code: t for t in DossierType.objects.all()}
        new_types = []
        for code, name, days, working, _desks in NEW_DOSSIER_TYPES:
            if code not in types:
                new_types.append(DossierType(code=code, name=name, days=days, working=working,
                                             start_event="ngày nhận đủ hồ sơ hợp lệ",
                                             legal_basis="Luật Đất đai 2013; Nghị định 43/2014/NĐ-CP"
                                             if code == "land-allocation" else "Quy định thủ tục hành chính",
                                             agency=skhdt))
        DossierType.objects.bulk_create(new_types)
        types = {t.code: t for t in DossierType.objects.all()}
        desks_by_type = {**OLD_DESKS, **{c: d for c, _n, _d, _w, d in NEW_DOSSIER_TYPES}}
        desks = []  # (type, agency)
        for code, t in sorted(types.items()):
            for desk in desks_by_type.get(code, [t.agency.code if t.agency else "SKHDT"]):
                if desk.startswith("*"):
                    desks += [(t, a) for c, a in sorted(codes.items()) if c.endswith(f"-{desk[1:]}")]
                elif desk in codes:
                    desks.append((t, codes[desk]))
        seq: dict[tuple, int] = {}
        for first in range(0, need, 10_000):  # in chunks: memory stays flat at xlarge
            self._dossier_chunk(min(10_000, need - first), desks, seq)

    def _dossier_chunk(self, count, desks, seq):
        rng, cal = self.rng, self.cal
        subjects, places = investment_demo.WORKS, investment_demo.PLACES
        rows, pauses = [], []
        for _ in range(count):
            t, agency = desks[rng.randrange(len(desks))]
            received = self.working_day()
            key = (t.pk, agency.pk, received.year)
            seq[key] = seq.get(key, 0) + 1
            ref = f"{PREFIX.get(t.code, 'HS')}-{agency.code}-G{seq[key]:05d}/{received.year}"
            a, b = rng.sample(places, 2)
            subject = f"{t.name}: {rng.choice(subjects).format(a=a, b=b)}"
            pause = None
            if rng.random() < 0.15:
                paused_on = self.add_wd(received, rng.randint(1, 2)) if t.working else received + dt.timedelta(days=2)
                resumed = self.add_wd(paused_on, rng.randint(2, 10))
                pause = (paused_on, resumed if resumed <= END else None) if paused_on <= END else None
            r = rng.random()
            used = rng.randint(1, t.days) if r < 0.8 else t.days + rng.randint(1, 10)
            completed = None
            if r < 0.985 and (pause is None or pause[1] is not None):
                completed = cal.due_date(received, used, t.working, [Pause(*pause)] if pause else [])
                if completed and completed > END:
                    completed = None
            d = Dossier(type=t, agency=agency, reference=ref, subject=subject[:500], received_on=received, days=t.days,
                        working=t.working, completed_on=completed, created_at=self.adapt.moment(received))
            rows.append(d)
            if pause:
                pauses.append((d, pause))
        Dossier.objects.bulk_create(rows, batch_size=5000)
        DossierPause.objects.bulk_create([DossierPause(dossier=d, paused_on=p, resumed_on=q, reason="Bổ sung hồ sơ")
                                          for d, (p, q) in pauses], batch_size=5000)
        self.added["dossiers"] += len(rows)
        paused = {d.pk: p for d, p in pauses}

        def events():
            tt = "deadlines.dossier"
            for d in rows:
                rep = f"{d.reference} — {d.subject}"[:255]
                yield (d.created_at, None, "dossier.create", d.agency_id, tt, d.pk, rep, None,
                       {"type": d.type_id, "agency": d.agency_id, "reference": d.reference,
                        "received_on": d.received_on.isoformat(), "days": d.days, "working": d.working})
                if d.pk in paused:
                    p, q = paused[d.pk]
                    yield (self.adapt.moment(p), None, "dossier.pause", d.agency_id, tt, d.pk, rep, None,
                           {"paused_on": p.isoformat(), "reason": "Bổ sung hồ sơ"})
                    if q:
                        yield (self.adapt.moment(q), None, "dossier.resume", d.agency_id, tt, d.pk, rep, None,
                               {"resumed_on": q.isoformat()})
                if d.completed_on:
                    yield (self.adapt.moment(d.completed_on, 240), None, "dossier.complete", d.agency_id, tt, d.pk,
                           rep, {"completed_on": None}, {"completed_on": d.completed_on.isoformat()})

        self.audit.write(events())

    # --- investment: investors, projects, plan lines, disbursements ---
    def investment(self):
        rng = self.rng
        need_projects = max(0, self.target["projects"] - Project.objects.count())
        need_lines = max(0, self.target["plan_lines"] - PlanLine.objects.count())
        need_pay = max(0, self.target["disbursements"] - Disbursement.all_objects.count())
        if not need_projects:
            return
        codes = self.agency_by_code
        known = set(Investor.objects.values_list("search_name", flat=True))
        districts = sorted((a for a in codes.values() if a.kind == "district"), key=lambda a: a.code)
        investors = []
        n_inv = max(1, need_projects // 30)
        k = 0
        while len(investors) < n_inv:
            d = districts[k % len(districts)]
            place = investment_demo.PLACES[(k // len(districts)) % len(investment_demo.PLACES)]
            round_ = k // (len(districts) * len(investment_demo.PLACES))
            name = rng.choice(["UBND xã {p}", "Ban QLDA xây dựng xã {p}", "Trường THCS xã {p}",
                               "Trung tâm Y tế xã {p}"]).format(p=place)
            name = f"{name} ({d.name.removeprefix('UBND ')})" + (f" {round_ + 1}" if round_ else "")
            k += 1
            if search_key(name) in known:
                continue
            known.add(search_key(name))
            agency = codes.get(f"{d.code}-BQLDA") or d
            investors.append(Investor(name=name, search_name=search_key(name), agency=agency))
        Investor.objects.bulk_create(investors)
        pool = list(Investor.objects.select_related("agency").order_by("pk"))
        number = 8_000_000
        projects = []
        for _ in range(need_projects):
            inv = rng.choice(pool)
            number += rng.randint(1, 9)
            a, b = rng.sample(investment_demo.PLACES, 2)
            size = rng.randint(5, 400) * 10_000_000 * rng.choice((1, 1, 2, 3, 5, 10))
            district = next((v for c, v in investment_demo.DISTRICTS.items()
                             if inv.agency and (inv.agency.code == c or inv.agency.code.startswith(f"{c}-"))), "")
            projects.append(Project(code=str(number), name=rng.choice(investment_demo.WORKS).format(a=a, b=b),
                                    investor=inv, group="A" if size > 30_000_000_000 else "B" if size > 8_000_000_000
                                    else "C", district=district, total_investment=size * rng.randint(2, 4),
                                    leader=f"{rng.choice(('Phó Giám đốc', 'Phó Chủ tịch', 'Giám đốc'))} {self.person()}"))
        Project.objects.bulk_create(projects, batch_size=5000)
        self.added["projects"] = len(projects)
        # Plan lines: each project runs 2–4 years within 2020–2025; NSĐP (and NSTW for some) by PPC and TTg.
        per_project = max(1.0, need_lines / max(1, len(projects)))
        plan_batches = {}
        for year in range(2020, 2026):
            plan_batches[year] = ImportBatch.objects.create(
                kind=ImportBatch.Kind.PLANS, file_name=f"ke-hoach-von-{year}.xlsx",
                file_hash=hashlib.sha256(f"{MARK}:{self.seed}:plans:{year}".encode()).hexdigest(),
                options={"synthetic": True, "seed": self.seed}, as_of=dt.date(year, 1, 15), state="published")
        lines, years_of, level_of = [], [], {}  # years_of: (project, year, plan amount, extended amount)
        for p in projects:
            if len(lines) >= need_lines:
                break
            start = rng.randint(2020, 2025)
            years = range(start, min(2025, start + rng.randint(1, 3)) + 1)
            budget = p.total_investment
            district = p.investor.agency is not None and p.investor.agency.kind == "district" or "-" in (
                p.investor.agency.code if p.investor.agency else "")
            local = level_of[p.pk] = BudgetLevel.DISTRICT if district else BudgetLevel.PROVINCE
            central = rng.random() < 0.4 and per_project > 4
            for year in years:
                plan = budget // len(years) // 1_000_000 * 1_000_000
                nstw = plan * rng.choice((4, 5, 6)) // 10 // 1_000_000 * 1_000_000 if central else 0
                nsdp = plan - nstw
                decision = f"{rng.randint(100, 4999)}/QĐ-UBND"
                for source, amount, level in ((Source.NSTW, nstw, BudgetLevel.CENTRAL), (Source.NSDP, nsdp, local)):
                    if not amount:
                        continue
                    lines.append(PlanLine(project=p, source=source, year=year, origin_year=year, assigner=Assigner.TINH,
                                          amount=amount, budget_level=level, decision=decision,
                                          batch=plan_batches[year]))
                    lines.append(PlanLine(project=p, source=source, year=year, origin_year=year, assigner=Assigner.TTG,
                                          amount=amount if source == Source.NSTW else amount * 7 // 10,
                                          budget_level=level, decision="1234/QĐ-TTg", batch=plan_batches[year]))
                extended = 0
                if year > 2020 and rng.random() < 0.2:
                    extended = plan * rng.randint(5, 30) // 100 // 1_000_000 * 1_000_000
                    if extended:
                        lines.append(PlanLine(project=p, source=Source.NSDP, year=year, origin_year=year - 1,
                                              assigner=Assigner.TINH, amount=extended, budget_level=local,
                                              decision=decision, batch=plan_batches[year]))
                if rng.random() < 0.06:
                    lines.append(PlanLine(project=p, source=Source.NSDP, year=year, origin_year=year,
                                          assigner=Assigner.TINH, kind=PlanLine.Kind.REVISED,
                                          amount=nsdp * rng.randint(70, 95) // 100 // 1_000_000 * 1_000_000,
                                          budget_level=local, decision=f"{rng.randint(100, 4999)}/QĐ-UBND",
                                          effective_on=dt.date(year, rng.randint(7, 10), 15), batch=plan_batches[year]))
                years_of.append((p, year, plan, extended))
        while years_of and len(lines) < need_lines:  # top up with mid-year revisions of the PPC's plan
            p, year, plan, _ext = years_of[rng.randrange(len(years_of))]
            lines.append(PlanLine(project=p, source=Source.NSDP, year=year, origin_year=year, assigner=Assigner.TINH,
                                  kind=PlanLine.Kind.REVISED, amount=plan * rng.randint(70, 115) // 100 // 10**6 * 10**6,
                                  budget_level=level_of[p.pk], decision=f"{rng.randint(100, 4999)}/QĐ-UBND",
                                  effective_on=dt.date(year, rng.randint(6, 11), 15), batch=plan_batches[year]))
        lines = lines[:need_lines]
        PlanLine.objects.bulk_create(lines, batch_size=5000)
        self.added["plan_lines"] = len(lines)
        for year, b in plan_batches.items():
            mine = [ln for ln in lines if ln.year == year]
            b.rows = b.created = len(mine)
            b.total_amount = sum(ln.amount for ln in mine)
            b.save(update_fields=["rows", "created", "total_amount"])
        self._rules()
        self._disbursements(years_of, need_pay)

    def _rules(self):
        base = RuleSet.objects.filter(year=2020).prefetch_related("rules").first()
        if base is None:
            return
        for year in range(2021, 2026):
            if RuleSet.objects.filter(year=year).exists():
                continue
            rs = RuleSet.objects.create(year=year, denominator=base.denominator, program=base.program)
            Rule.objects.bulk_create([Rule(ruleset=rs, kind=r.kind, capital=r.capital, op=r.op, percent=r.percent,
                                           due_on=r.due_on.replace(year=r.due_on.year + year - 2020),
                                           literal=r.literal, task=r.task) for r in base.rules.all()])

    def _disbursements(self, years_of, need):
        """About ``need`` payments over the project-years, back-loaded through each year, one batch a month."""
        rng, a = self.rng, self.adapt
        if not years_of or not need:
            return
        weights = [plan + ext for _p, _y, plan, ext in years_of]
        total_w = sum(weights) or 1
        counts = [max(1, round(need * w / total_w)) for w in weights]
        drift = need - sum(counts)
        i = 0
        while drift and counts:  # make the total exact
            j = i % len(counts)
            if drift > 0:
                counts[j] += 1
                drift -= 1
            elif counts[j] > 1:
                counts[j] -= 1
                drift += 1
            i += 1
        pace = investment_demo.PACE
        month_w = [pace[0]] + [pace[m] - pace[m - 1] for m in range(1, 12)]
        columns = ["project", "paid_on", "amount", "ref", "year", "extended", "source", "cumulative", "batch", "row"]
        written = 0
        for year in range(2020, 2026):
            rows = []
            for (p, y, plan, ext), n in zip(years_of, counts, strict=True):
                if y != year:
                    continue
                share = rng.uniform(0.55, 1.0)
                total = int((plan + ext) * share)
                n_ext = round(n * ext / (plan + ext)) if plan + ext else 0
                months = rng.choices(range(1, 13), weights=month_w, k=n)
                for k, m in enumerate(months):
                    day = dt.date(year, m, rng.randint(1, 28))
                    if day.weekday() >= 5:
                        day -= dt.timedelta(days=day.weekday() - 4)
                    amount = max(1_000_000, total // n * rng.randint(50, 150) // 100 // 1000 * 1000)
                    rows.append((day, p.pk, amount, k < n_ext))
            rows.sort()
            by_month: dict[int, list] = {}
            for r in rows:
                by_month.setdefault(r[0].month, []).append(r)
            del rows
            for month in range(1, 13):
                chunk = by_month.pop(month, [])
                if not chunk:
                    continue
                batch = ImportBatch.objects.create(
                    kind=ImportBatch.Kind.DISBURSEMENTS, state=ImportBatch.State.PUBLISHED,
                    file_name=f"giai-ngan-{year}-{month:02d}.xlsx",
                    file_hash=hashlib.sha256(f"{MARK}:{self.seed}:pay:{year}-{month}".encode()).hexdigest(),
                    options={"synthetic": True, "seed": self.seed},
                    as_of=rc.add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1),
                    rows=len(chunk), created=len(chunk), total_amount=sum(r[2] for r in chunk))
                base = written
                self.added["disbursements"] += _insert(Disbursement, columns, (
                    (pid, a.date(day), amount, f"KB{year}-{base + n:07d}", year, ext, "", False, batch.pk, n)
                    for n, (day, pid, amount, ext) in enumerate(chunk, start=1)))
                written += len(chunk)
                self.audit.write([(a.moment(batch.as_of, 300), self.admin_id, "import.disbursements", None,
                                   "investment.importbatch", batch.pk, str(batch)[:255], None,
                                   {"rows": batch.rows, "created": batch.created, "total": batch.total_amount})])

    # --- petitions ---
    def petitions(self):
        rng = self.rng
        need = max(0, self.target["petitions"] - Petition.objects.count())
        cats = {c.code: c for c in PetitionCategory.objects.all()}
        if not need or not cats:
            return
        codes = self.agency_by_code
        desks = {}
        for code, (leads, partners, _task) in petitions_demo.DESKS.items():
            extra = [c for c in codes if c.endswith("-TNMT")] if code == "land" else []
            desks[code] = ([codes[c] for c in leads + extra if c in codes], [codes[c] for c in partners if c in codes])
        order = [c for c in petitions_demo.ORDER if c in cats] or sorted(cats)
        tasks = [t for _p, t, _a in getattr(self, "program_tasks", [])]
        project_codes = list(Project.objects.order_by("code").values_list("code", flat=True)[:2000])
        numbers: dict[int, int] = {}
        deadlines: dict[tuple, tuple] = {}
        rows, routings, coords, updates = [], [], [], []
        for _ in range(need):
            cat = cats[rng.choice(order)]
            received = self.working_day()
            numbers[received.year] = numbers.get(received.year, 1000) + 1
            ref = f"KN-{received.year}-{numbers[received.year]}"
            templates = petitions_demo.TEXTS.get(cat.code) or petitions_demo.TEXTS["other"]
            subject, text = rng.choice(templates)
            project = rng.choice(project_codes) if cat.code == "land" and project_codes else ""
            values = {"project": project or rng.choice(petitions_demo.PROJECTS), "n": rng.randint(5, 45)}
            subject, text = subject.format(**values)[:255], text.format(**values)
            business = (f"{rng.choice(BUSINESS_KINDS)} {rng.choice(BUSINESS_TRADES)} "
                        f"{rng.choice(BUSINESS_WORDS)}")
            p = Petition(reference=ref, tracking_code=f"{rng.getrandbits(128):032x}", received_on=received,
                         channel=rng.choice(Channel.values), category=cat,
                         source_label=f"Văn bản số {rng.randint(1, 300):02d}/{received.year}",
                         business_name=business, tax_code=f"530{rng.randrange(10**7):07d}", contact_name=self.person(),
                         contact_phone=f"09{rng.randrange(10**8):08d}", subject=subject, text=text,
                         task=rng.choice(tasks) if tasks and rng.random() < 0.2 else None, project_code=project)
            p.search_text = search_key(f"{ref} {subject} {business} {text}")
            leads, partners = desks[cat.code]
            routed = self.add_wd(received, rng.randint(1, 3))
            if routed <= END and leads:
                lead = rng.choice(leads)
                chosen = [c for c in partners if c.pk != lead.pk][: rng.randint(0, 2)]
                p.lead_agency, p.routed_on, p.answer_days = lead, routed, cat.answer_days
                if (cat.pk, routed) not in deadlines:  # the product's rule; one calendar read per distinct start
                    deadlines[cat.pk, routed] = compute_deadline(p, routed, cat.answer_days)
                p.due_on, p.deadline_rule = deadlines[cat.pk, routed]
                p.state = State.ASSIGNED
                routings.append(Routing(petition=p, kind=Routing.Kind.ROUTE, on=routed, lead_agency=lead,
                                        coordinators=sorted(c.code for c in chosen), answer_days=cat.answer_days,
                                        due_on=p.due_on, deadline_rule=p.deadline_rule, by_id=self.admin_id))
                coords += [(p, c) for c in chosen]
                progress = self.add_wd(routed, 2)
                if progress <= END and rng.random() < 0.6:
                    p.state = State.IN_PROGRESS
                    updates.append(Update(petition=p, kind=Update.Kind.PROGRESS, agency=lead, on=progress,
                                          author_id=self.officer.get(lead.pk),
                                          text="Đã làm việc với doanh nghiệp và các cơ quan liên quan."))
                r = rng.random()
                answered = None
                if r < 0.04:
                    proposed = self.add_wd(routed, 4)
                    if proposed <= END:
                        p.escalation_proposed_on = proposed
                        p.escalation_reason = "Vượt thẩm quyền của cơ quan chủ trì; cần UBND tỉnh quyết định."
                        decided = self.add_wd(proposed, 2)
                        if decided <= END:
                            p.state, p.escalation_decision = State.ESCALATED, "Giao Văn phòng UBND tỉnh tham mưu."
                elif r < 0.62:
                    answered = self.add_wd(routed, max(1, cat.answer_days - 1 - rng.randint(0, 4)))
                elif r < 0.85:
                    answered = self.add_wd(p.due_on, rng.randint(2, 25))
                if answered and answered <= END:
                    p.answer = f"{lead.name} trả lời: đã xem xét kiến nghị, có văn bản hướng dẫn doanh nghiệp."
                    p.answered_on, p.answered_by_agency, p.state = answered, lead, State.ANSWERED
                    published = self.add_wd(answered, 1)
                    if published <= END and rng.random() < 0.8:
                        p.published_on, p.state = published, State.PUBLISHED
                        closed = self.add_wd(published, 5)
                        if closed <= END and rng.random() < 0.5:
                            p.closed_on, p.state = closed, State.CLOSED
            rows.append(p)
        Petition.objects.bulk_create(rows, batch_size=2000)
        Routing.objects.bulk_create(routings, batch_size=5000)
        Update.objects.bulk_create(updates, batch_size=5000)
        through = Petition.coordinators.through
        through.objects.bulk_create([through(petition_id=p.pk, agency_id=c.pk) for p, c in coords], batch_size=5000)
        self.added["petitions"] = len(rows)

        def events():
            t = "petitions.petition"
            for p in rows:
                rep = f"{p.reference} — {p.subject}"[:255]
                yield (self.adapt.moment(p.received_on), self.admin_id, "petition.intake", None, t, p.pk, rep, None,
                       {"reference": p.reference, "category": p.category.code, "received_on": p.received_on.isoformat()})
                if p.routed_on:
                    lead = p.lead_agency_id
                    yield (self.adapt.moment(p.routed_on), self.admin_id, "petition.route", lead, t, p.pk, rep,
                           {"state": "received", "lead_agency": None, "due_on": None},
                           {"state": "assigned", "lead_agency": p.lead_agency.code, "due_on": p.due_on.isoformat(),
                            "deadline_rule": p.deadline_rule})
                    if p.answered_on:
                        yield (self.adapt.moment(p.answered_on), self.officer.get(lead), "petition.answer", lead, t,
                               p.pk, rep, None, {"answered_on": p.answered_on.isoformat()})
                    if p.published_on:
                        yield (self.adapt.moment(p.published_on), self.officer.get(lead), "petition.publish", lead,
                               t, p.pk, rep, None, {"published_on": p.published_on.isoformat()})
                    if p.closed_on:
                        yield (self.adapt.moment(p.closed_on), self.admin_id, "petition.close", lead, t, p.pk, rep,
                               None, {"closed_on": p.closed_on.isoformat()})

        self.audit.write(events())

    # --- audit padding: the everyday progress notes and draft saves that make up most of a real trail ---
    def audit_padding(self):
        rng, a = self.rng, self.adapt
        left = self.audit.left
        if not left:
            return
        assignments = list(Assignment.objects.filter(role=AssignmentRole.LEAD).values_list(
            "pk", "agency_id", "task__section", "task__item").order_by("pk"))
        reports = list(Report.objects.values_list("pk", "agency_id", "period").order_by("pk"))
        days = (END - START).days

        def events():
            for _ in range(left):
                on = START + dt.timedelta(days=rng.randrange(days + 1))
                if reports and rng.random() < 0.4:
                    pk, agency, period = rng.choice(reports)
                    yield (a.moment(on, rng.randrange(540)), self.officer.get(agency), "report.save", agency,
                           "reporting.report", pk, f"{self.agency_ids[agency].code} {period:%m/%Y}", None,
                           {"on": on.isoformat()})
                elif assignments:
                    pk, agency, section, item = rng.choice(assignments)
                    yield (a.moment(on, rng.randrange(540)), self.officer.get(agency), "assignment.update", agency,
                           "programs.assignment", pk, f"{section}.{item} — {self.agency_ids[agency].code}", None,
                           {"text": "Đang triển khai theo kế hoạch.", "percent": rng.randint(10, 95),
                            "reported_on": on.isoformat()})

        self.audit.write(events())

    # --- derived data ---
    def derive(self):
        """Rebuild the stored derived values and summaries from the rows just written (the product's own rebuild
        functions; each feature that stores one adds its call to DERIVED)."""
        self.added["audit_events"] = self.audit.written
        for name, rebuild in DERIVED:
            self.write(f"derived: {name}: {rebuild()}")


# Rebuild functions of stored derived data, called in order after the rows are written: (label, callable → summary).
# E.g. ("dossier due dates", deadlines.actions.rebuild_due_dates), ("disbursement summaries", investment.…).
DERIVED: list[tuple[str, Callable[[], object]]] = [
    ("agency name keys", accounts_models.rebuild_name_keys),
    ("petition match texts", petitions_models.rebuild_match_texts),
    ("disbursement monthly sums (rows stored)", lambda: investment_summary.rebuild()),
    ("dossier clock dates (rows changed)", lambda: deadlines_actions.refresh_clocks()),
]


def generate(*, scale: str, seed: int, write: Callable[[str], None] = print) -> dict[str, int]:
    return Generator(scale=scale, seed=seed, write=write).run()
