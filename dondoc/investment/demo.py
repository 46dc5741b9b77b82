"""Demo data — SYNTHETIC: 40 investors and 300 projects of Lào Cai for 2020 with plans (the year's and extended
capital), committed schedules and Treasury payments through the year on a back-loaded pace (about a third by
30/6, under half by 31/8, over 80% by 31/12), some investors under 60% at 30/9. Names, codes and amounts are
invented; only the structure is real. Seeded, so the same on every machine; loaded once (idempotent).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from dondoc.accounts.models import Agency
from dondoc.core import audit

from . import actions, queries, summary
from .models import (
    Assigner,
    BudgetLevel,
    Commitment,
    Disbursement,
    ImportBatch,
    Investor,
    PlanLine,
    Project,
    Source,
)

YEAR = 2020
SEED = 20200630
DEMO_FILE = "demo (dữ liệu tổng hợp, không phải số liệu thật)"
# (investor name, agency code or None) — 40 investors rolling up to departments, districts and project boards.
INVESTORS = [
    ("Sở Y tế", "SYT"), ("Bệnh viện Đa khoa tỉnh Lào Cai", "SYT"), ("Sở Giáo dục và Đào tạo", "SGDDT"),
    ("Trường Cao đẳng Lào Cai", "SGDDT"), ("Sở Nông nghiệp và Phát triển nông thôn", "SNN"),
    ("Ban QLDA các công trình nông nghiệp và PTNT tỉnh", "SNN"), ("Sở Giao thông vận tải - Xây dựng", "SGTVTXD"),
    ("Ban QLDA các công trình giao thông tỉnh", "SGTVTXD"), ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("Sở Tài nguyên và Môi trường", "STNMT"), ("Sở Thông tin và Truyền thông", "STTTT"),
    ("Đài Phát thanh - Truyền hình tỉnh", "STTTT"), ("Sở Lao động - Thương binh và Xã hội", "SLDTBXH"),
    ("Sở Khoa học và Công nghệ", "SKHCN"), ("Công an tỉnh", "CA"), ("Ban Quản lý Khu kinh tế tỉnh", "BQLKKT"),
    ("Ban QLDA đầu tư xây dựng tỉnh Lào Cai", "SKHDT"), ("Ban QLDA ODA tỉnh", "SKHDT"),
    ("Bộ Chỉ huy Quân sự tỉnh", None), ("Tỉnh đoàn Lào Cai", None),
    ("UBND thành phố Lào Cai", "TPLC"), ("Ban QLDA đầu tư xây dựng thành phố Lào Cai", "TPLC"),
    ("UBND thị xã Sa Pa", "TXSP"), ("Ban QLDA đầu tư xây dựng thị xã Sa Pa", "TXSP"),
    ("UBND huyện Bát Xát", "BX"), ("Ban QLDA đầu tư xây dựng huyện Bát Xát", "BX"),
    ("UBND huyện Mường Khương", "MK"), ("Ban QLDA đầu tư xây dựng huyện Mường Khương", "MK"),
    ("UBND huyện Si Ma Cai", "SMC"), ("Ban QLDA đầu tư xây dựng huyện Si Ma Cai", "SMC"),
    ("UBND huyện Bắc Hà", "BH"), ("Ban QLDA đầu tư xây dựng huyện Bắc Hà", "BH"),
    ("UBND huyện Bảo Thắng", "BT"), ("Ban QLDA đầu tư xây dựng huyện Bảo Thắng", "BT"),
    ("UBND huyện Bảo Yên", "BY"), ("Ban QLDA đầu tư xây dựng huyện Bảo Yên", "BY"),
    ("UBND huyện Văn Bàn", "VB"), ("Ban QLDA đầu tư xây dựng huyện Văn Bàn", "VB"),
    ("Sở Công Thương", "SCT"), ("Sở Nội vụ", "SNV"),
]
DISTRICTS = {"TPLC": "Thành phố Lào Cai", "TXSP": "Thị xã Sa Pa", "BX": "Bát Xát", "MK": "Mường Khương",
             "SMC": "Si Ma Cai", "BH": "Bắc Hà", "BT": "Bảo Thắng", "BY": "Bảo Yên", "VB": "Văn Bàn"}
PLACES = ["Y Tý", "A Mú Sung", "Bản Vược", "Mường Hum", "Trịnh Tường", "Phong Niên", "Xuân Quang", "Bản Phiệt",
          "Tả Van", "Bản Hồ", "Lùng Phình", "Bảo Nhai", "Cốc Ly", "Nghĩa Đô", "Võ Lao", "Khánh Yên", "Lùng Vai",
          "Pha Long", "Sín Chéng", "Cán Cấu", "Tả Phìn", "Thanh Bình", "Sơn Hải", "Gia Phú", "Thượng Hà"]
WORKS = ["Đường giao thông liên xã {a} - {b}", "Trường THCS xã {a}", "Trạm y tế xã {a}", "Kè chống sạt lở suối {a}",
         "Nâng cấp chợ trung tâm {a}", "Công trình thủy lợi {a}", "Cấp nước sinh hoạt xã {a}",
         "Nhà văn hóa thôn {a}", "Cầu treo {a}", "Trường mầm non {a}", "Sửa chữa đường tỉnh lộ đoạn {a} - {b}",
         "Hạ tầng khu tái định cư {a}"]
LEADERS = ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Quang Minh", "Phạm Thu Hà", "Hoàng Văn Sơn", "Vũ Thị Mai",
           "Đặng Quốc Tuấn", "Bùi Thị Hương", "Giàng Seo Phử", "Lò Văn Thào"]
# Cumulative share of the year's plan disbursed by each month end (province average, back-loaded).
PACE = [0.02, 0.05, 0.10, 0.16, 0.24, 0.33, 0.40, 0.47, 0.66, 0.72, 0.78, 0.86]
EXTENDED_PACE = [0.08, 0.15, 0.25, 0.35, 0.48, 0.62, 0.78, 0.92, 0.95, 0.97, 0.98, 1.0]
SLOW = {"UBND huyện Si Ma Cai", "Ban QLDA đầu tư xây dựng huyện Mường Khương", "Trường Cao đẳng Lào Cai",
        "Sở Khoa học và Công nghệ", "Tỉnh đoàn Lào Cai", "Ban QLDA ODA tỉnh", "UBND huyện Bắc Hà"}


def _working_day(rng: random.Random, month: int) -> dt.date:
    while True:
        day = dt.date(YEAR, month, rng.randint(1, 28))
        if day.weekday() < 5:
            return day


@transaction.atomic
def load(*, actor=None, as_of: dt.date, **_) -> list[str]:
    lines = []
    ruleset = actions.load_rules(actor=actor, year=YEAR)
    if ruleset:
        lines.append(f"investment rules {YEAR}: {ruleset.rules.count()} (from program {ruleset.program})")
    if ImportBatch.objects.filter(kind=ImportBatch.Kind.DEMO).exists():
        return lines + _declare_needs(actor) + ["investment demo: already loaded"]
    rng = random.Random(SEED)
    agencies = {a.code: a for a in Agency.objects.all()}
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.DEMO, file_name=DEMO_FILE, file_hash="demo",
                                       options={"synthetic": True, "seed": SEED})
    investors = []
    for name, code in INVESTORS:
        investor, _created = Investor.objects.get_or_create(name=name, defaults={"agency": agencies.get(code)})
        investors.append((investor, code))
    weights = [rng.randint(3, 12) for _ in investors]
    counts = [max(3, round(300 * w / sum(weights))) for w in weights]
    counts[0] += 300 - sum(counts)
    projects, plan_lines, commitments, payments = [], [], [], []
    number = 7810000
    for (investor, code), count in zip(investors, counts, strict=True):
        speed = rng.uniform(0.62, 0.82) if investor.name in SLOW else rng.uniform(0.98, 1.25)
        for _i in range(count):
            number += rng.randint(1, 40)
            a, b = rng.sample(PLACES, 2)
            plan = rng.randint(5, 400) * 100_000_000 // 10  # 50 triệu … 4 tỷ, rounded to 10 triệu
            plan = max(plan, 300_000_000) * rng.choice((1, 1, 2, 3, 5))
            group = "B" if plan > 8_000_000_000 else "C"
            project = Project(code=str(number), name=rng.choice(WORKS).format(a=a, b=b), investor=investor,
                              group=group, district=DISTRICTS.get(code or "", ""), total_investment=plan * rng.randint(2, 5),
                              leader=f"{rng.choice(('Phó Giám đốc', 'Phó Chủ tịch', 'Giám đốc'))} {rng.choice(LEADERS)}")
            projects.append((project, plan, speed, investor))
    Project.objects.bulk_create([p for p, *_ in projects])
    for project, plan, speed, investor in projects:
        district = investor.agency is not None and investor.agency.kind == "district"
        local = BudgetLevel.DISTRICT if district else BudgetLevel.PROVINCE
        central = rng.random() < 0.4
        nstw = (plan * rng.choice((4, 5, 6)) // 10) // 1_000_000 * 1_000_000 if central else 0
        nsdp = plan - nstw
        extended = rng.randint(5, 30) * plan // 100 // 1_000_000 * 1_000_000 if rng.random() < 0.3 else 0
        origin = rng.choice((2018, 2019, 2019, 2019))
        for source, amount, level in ((Source.NSTW, nstw, BudgetLevel.CENTRAL), (Source.NSDP, nsdp, local)):
            if amount:
                plan_lines.append(PlanLine(project=project, source=source, year=YEAR, origin_year=YEAR,
                                           assigner=Assigner.TINH, amount=amount, budget_level=level,
                                           decision="4321/QĐ-UBND (minh họa)", batch=batch))
                ttg = amount if source == Source.NSTW else amount * 7 // 10 // 1_000_000 * 1_000_000
                plan_lines.append(PlanLine(project=project, source=source, year=YEAR, origin_year=YEAR,
                                           assigner=Assigner.TTG, amount=ttg, budget_level=level,
                                           decision="1234/QĐ-TTg (minh họa)", batch=batch))
        if extended:
            plan_lines.append(PlanLine(project=project, source=Source.NSDP, year=YEAR, origin_year=origin,
                                       assigner=Assigner.TINH, amount=extended, budget_level=local,
                                       decision="4321/QĐ-UBND (minh họa)", batch=batch))
        # The investor's committed schedule: close to the province pace; slow investors will fall behind it.
        total = plan + extended
        previous = 0
        for month in range(1, 13):
            target = total if month == 12 else int(total * min(1.0, PACE[month - 1] * 0.92))
            if target > previous:
                commitments.append(Commitment(project=project, year=YEAR, month=month,
                                              amount=target - previous, committed_on=dt.date(YEAR, 3, 31)))
            previous = max(previous, target)
        # Payments: the project's own speed around its investor's, one or two a month, never going back.
        own = speed * rng.uniform(0.9, 1.12)
        for capital_plan, pace, is_ext in ((plan, PACE, False), (extended, EXTENDED_PACE, True)):
            paid = 0
            for month in range(1, 13):
                share = min(1.0, pace[month - 1] * (own if not is_ext else min(own, 1.05)))
                target = int(capital_plan * share) // 1_000_000 * 1_000_000
                if target <= paid:
                    continue
                step = target - paid
                parts = [step] if step < 400_000_000 or rng.random() < 0.5 else [step // 2, step - step // 2]
                for part in parts:
                    payments.append((project, _working_day(rng, month), part, is_ext))
                paid = target
    PlanLine.objects.bulk_create(plan_lines)
    Commitment.objects.bulk_create(commitments)
    rows = []
    for n, (project, day, amount, is_ext) in enumerate(sorted(payments, key=lambda p: (p[1], p[0].code)), start=1):
        rows.append(Disbursement(project=project, paid_on=day, amount=amount, ref=f"KB-{YEAR}-{n:06d}", year=YEAR,
                                 extended=is_ext, source="", batch=batch, row=n))
    after = summary.last_id()
    Disbursement.objects.bulk_create(rows, batch_size=2000)
    summary.add_batch(batch.pk, after)
    total_paid = sum(r.amount for r in rows)
    batch.rows, batch.created, batch.total_amount = len(rows), len(rows), total_paid
    batch.save(update_fields=["rows", "created", "total_amount"])
    audit.record(actor=actor, kind="investment.demo", target=batch,
                 new={"investors": len(investors), "projects": len(projects), "plan_lines": len(plan_lines),
                      "commitments": len(commitments), "payments": len(rows), "synthetic": True})
    lines.append(f"investment demo (synthetic): {len(investors)} investors, {len(projects)} projects, "
                 f"{len(plan_lines)} plan lines, {len(rows)} payments")
    return lines + _declare_needs(actor)


def _declare_needs(actor) -> list[str]:
    """Issue 7: about one project in ten of the investors that disburse well declares an additional need
    ("nhu cầu bổ sung vốn", 20–60% of its plan, in whole millions) so that the demo proposes transfers. Once."""
    if Project.objects.filter(additional_need__gt=0).exists() or not ImportBatch.objects.filter(
            kind=ImportBatch.Kind.DEMO, file_hash="demo").exists():
        return []
    rng = random.Random(SEED + 7)
    plans = {pid: amount for (pid, extended), amount in
             queries.plan_amounts(YEAR, dt.date(YEAR, 12, 31), Assigner.TINH).items() if not extended}
    chosen = []
    for project in Project.objects.select_related("investor").order_by("code"):
        if project.investor.name in SLOW or project.pk not in plans or rng.random() >= 0.1:
            continue
        project.additional_need = plans[project.pk] * rng.randint(20, 60) // 100 // 1_000_000 * 1_000_000
        chosen.append(project)
    Project.objects.bulk_update(chosen, ["additional_need"])
    audit.record(actor=actor, kind="investment.demo_needs", target=None,
                 new={"projects": len(chosen), "total": sum(p.additional_need for p in chosen), "synthetic": True})
    return [f"investment demo (synthetic): {len(chosen)} projects declare an additional need"]
