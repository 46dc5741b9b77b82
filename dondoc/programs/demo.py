"""Demo data: the seed program 07/CTr-UBND loaded, with agencies' progress as it might stand on 05/10/2020."""

from __future__ import annotations

import datetime as dt
import zlib

from django.contrib.auth import get_user_model
from django.db import transaction

from dondoc.accounts.models import Role
from dondoc.core import clock

from . import actions
from .models import Assignment, AssignmentRole, TaskUpdate
from .services import SEED, parse_path

D = dt.date


def _officer(agency, role=Role.AGENCY_OFFICER):
    return get_user_model().objects.filter(memberships__agency=agency, memberships__role=role).first()


def _roll(code: str, salt: str) -> int:
    """A stable pseudo-random 0..99 per agency and task, so the demo is the same on every machine."""
    return zlib.crc32(f"{code}:{salt}".encode()) % 100


@transaction.atomic
def load(*, actor=None, as_of: dt.date, **_) -> list[str]:
    at = clock.moment(as_of) if as_of else clock.now()  # as_of None: tests load the progress alone
    result = actions.load_program(actor=actor, parsed=parse_path(SEED), source_name=SEED.name, at=at)
    lines = result.lines()
    version = result.version
    if TaskUpdate.objects.filter(assignment__task__version=version).exists():
        return lines
    updates = 0
    officers: dict[int, object] = {}  # one user object per agency, so its roles are read once
    leads = Assignment.objects.filter(task__version=version, role=AssignmentRole.LEAD).select_related("task", "agency")
    for a in leads.order_by("task__position", "agency__code"):
        if a.agency_id not in officers:
            officers[a.agency_id] = _officer(a.agency)
        officer = officers[a.agency_id]
        if officer is None:
            continue
        roll = _roll(a.agency.code, a.task.key)
        deadline = a.deadline
        if deadline and deadline < D(2020, 10, 5):
            # Tasks with a deadline already passed: most done on time, some late, some still overdue.
            if roll < 60:
                done = deadline - dt.timedelta(days=roll % 10)
                actions.post_update(actor=officer, assignment=a, on=done, completes=True,
                                    text="Đã hoàn thành, giải ngân 100% kế hoạch vốn kéo dài.", at=at)
            elif roll < 80:
                done = deadline + dt.timedelta(days=5 + roll % 20)
                actions.post_update(actor=officer, assignment=a, on=done, completes=True,
                                    text="Hoàn thành chậm do vướng mắc giải phóng mặt bằng.", at=at)
            else:
                actions.post_update(actor=officer, assignment=a, on=deadline - dt.timedelta(days=3), percent=70,
                                    text="Đang hoàn thiện thủ tục thanh toán, đạt khoảng 70%.", at=at)
            updates += 1
        elif roll < 35:
            actions.post_update(actor=officer, assignment=a, on=D(2020, 9, 20) - dt.timedelta(days=roll % 15),
                                percent=30 + roll, text="Đang triển khai theo kế hoạch; đã giao nhiệm vụ cụ thể cho các phòng.", at=at)
            updates += 1
    # An extension request on an overdue assignment, recommended by the DPI, waiting for a leader.
    overdue = next((a for a in leads.filter(completed_on__isnull=True, deadline__lt=D(2020, 10, 5),
                                            agency__code="BX")), None)
    admin = get_user_model().objects.filter(username="admin").first()
    if overdue and _officer(overdue.agency) and admin:
        ext = actions.request_extension(actor=_officer(overdue.agency), assignment=overdue, proposed=D(2020, 11, 30),
                                        reason="Dự án vướng giải phóng mặt bằng, đề nghị gia hạn đến 30/11/2020.")
        actions.recommend_extension(actor=admin, extension=ext, recommend=True,
                                    note="Sở KH&ĐT thống nhất đề xuất gia hạn.", at=at)
    lines.append(f"demo progress: {updates} updates")
    return lines
