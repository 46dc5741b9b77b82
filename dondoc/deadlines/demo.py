"""Demo dossiers of 2020 (deterministic): appraisal at SKHDT, STC and SGTVTXD, payment at the Treasury.

Each agency gets a dossier about every 15 days from January; handling times cycle through a fixed pattern
(most on time, some late), every fifth dossier is returned once for supplements, and events after ``as_of``
are left out — so with the demo's 05/10/2020 a few dossiers are still open (one overdue, some due soon).
Idempotent: the dossier key (type, agency, number) is never created twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dondoc.accounts.models import Agency
from dondoc.core import calendar
from dondoc.domain.workdays import Pause

from . import actions
from .models import Dossier, DossierType

PROJECTS = [
    "Đường nối Quốc lộ 4D - thị xã Sa Pa", "Trường THCS Bản Lầu", "Kè bờ sông Hồng đoạn Cốc Lếu",
    "Trạm y tế xã Bản Phiệt", "Cầu Phố Mới", "Hạ tầng khu công nghiệp Tằng Loỏng", "Đường Bảo Hà - Tân An",
    "Nâng cấp tỉnh lộ 151", "Trụ sở UBND xã Cốc San", "Hệ thống thủy lợi Mường Hum", "Chợ trung tâm Bắc Hà",
    "Trường mầm non Thanh Bình", "Đường vào khu tái định cư Xuân Giao", "Nước sinh hoạt xã Tả Van",
]
# (type, agency, number prefix)
DESKS = [("appraisal", "SKHDT", "TĐ"), ("appraisal", "STC", "TĐ"), ("appraisal", "SGTVTXD", "TĐ"),
         ("payment", "KBNN", "TT")]
# Counted days to handle each dossier, cycled: the limit is 5 (appraisal) or 4 (payment).
HANDLING = {"appraisal": [3, 5, 4, 7, 2, 5, 6, 4], "payment": [2, 4, 3, 5, 4, 1, 6, 3]}
PER_DESK, STEP = 24, 15  # one dossier every ~15 days through 2020
D = dt.date
# Hand-picked cases: (type, agency, number, project, received, (paused, resumed) | None, completed | None).
EXTRA = [
    ("appraisal", "SKHDT", "TĐ-SKHDT-T01/2020", 0, D(2020, 1, 20), None, D(2020, 2, 3)),  # across Tết, on time
    ("appraisal", "STC", "TĐ-STC-T01/2020", 1, D(2020, 1, 21), (D(2020, 1, 24), D(2020, 2, 3)), D(2020, 2, 6)),
    ("appraisal", "SKHDT", "TĐ-SKHDT-Q01/2020", 2, D(2020, 9, 21), None, None),  # overdue on 05/10/2020
    ("appraisal", "STC", "TĐ-STC-Q01/2020", 3, D(2020, 9, 28), (D(2020, 9, 29), None), None),  # paused
    ("payment", "KBNN", "TT-KBNN-Q01/2020", 4, D(2020, 9, 24), None, None),  # overdue on 05/10/2020
    ("payment", "KBNN", "TT-KBNN-Q02/2020", 5, D(2020, 10, 1), None, None),  # due soon
]


def plan(as_of: dt.date):
    """The demo rows: (type code, agency code, number, subject, received, pause, completed), events ≤ as_of."""
    cal = calendar.law_calendar()
    out = []
    for n, (type_code, agency_code, prefix) in enumerate(DESKS):
        for k in range(PER_DESK):
            received = cal.next_working_day(dt.date(2020, 1, 6) + dt.timedelta(days=STEP * k + 3 * n))
            if received > as_of or received.year > 2020:
                continue
            number = f"{prefix}-{agency_code}-{k + 1:03d}/2020"
            project = PROJECTS[(k * 3 + n) % len(PROJECTS)]
            subject = (f"Thẩm định dự án {project}" if type_code == "appraisal"
                       else f"Thanh toán khối lượng hoàn thành đợt {k % 4 + 1} - {project}")
            pause = None
            if k % 5 == 2:  # returned for supplements after one working day, back three days later
                paused_on = cal.add_days(received, 1, working=True)
                pause = Pause(paused_on, cal.add_days(paused_on, 3, working=True))
            pauses = (pause,) if pause else ()
            used = HANDLING[type_code][(k + n) % len(HANDLING[type_code])]
            completed = cal.due_date(received, used, True, pauses)
            if pause and pause.resumed_on > as_of:
                pause = Pause(pause.paused_on, None)
            if pause and pause.paused_on > as_of:
                pause = None
            out.append((type_code, agency_code, number, subject, received, pause,
                        completed if completed and completed <= as_of else None))
    for type_code, agency_code, number, p, received, pause, completed in EXTRA:
        if received > as_of:
            continue
        project = PROJECTS[p]
        subject = (f"Thẩm định dự án {project}" if type_code == "appraisal"
                   else f"Thanh toán khối lượng hoàn thành - {project}")
        if pause and pause[0] > as_of:
            pause = None
        if pause:
            pause = Pause(pause[0], pause[1] if pause[1] and pause[1] <= as_of else None)
        out.append((type_code, agency_code, number, subject, received, pause,
                    completed if completed and completed <= as_of else None))
    return out


@transaction.atomic
def load(*, actor=None, as_of: dt.date, **_) -> list[str]:
    types = {t.code: t for t in DossierType.objects.all()}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[d[1] for d in DESKS])}
    created = 0
    for type_code, agency_code, number, subject, received, pause, completed in plan(as_of):
        if type_code not in types or agency_code not in agencies:
            continue
        t, agency = types[type_code], agencies[agency_code]
        if Dossier.objects.filter(type=t, agency=agency, reference=number).exists():
            continue
        d = actions.create_dossier(actor=actor, type=t, agency=agency, reference=number, subject=subject,
                                   received_on=received)
        if pause:
            actions.pause_dossier(actor=actor, dossier=d, on=pause.paused_on, reason="Bổ sung hồ sơ")
            if pause.resumed_on:
                actions.resume_dossier(actor=actor, dossier=d, on=pause.resumed_on)
        if completed:
            actions.complete_dossier(actor=actor, dossier=d, on=completed)
        created += 1
    return [f"demo dossiers: {created} created, {Dossier.objects.count()} in all"]
