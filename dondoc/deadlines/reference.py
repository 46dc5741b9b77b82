"""Reference data: the two dossier types of the seed program. Creates what is missing, never overwrites.

- appraisal: 05 days from receiving the dossier (seed 2.1.h);
- payment: 04 days from the accepted work volume, at the Treasury (seed 2.2).
The seed says "ngày" without "làm việc"; administrative time limits are counted in working days in practice
(the Treasury's own payment rule says so), so both default to working days — editable.
"""

from __future__ import annotations

from django.db import transaction

from dondoc.accounts.models import Agency
from dondoc.core import calendar

from . import actions
from .models import DossierType

SEED_TYPES = [
    {
        "code": "appraisal", "name": "Thẩm tra, thẩm định dự án", "days": 5, "working": True,
        "start_event": "kể từ thời điểm nhận hồ sơ",
        "legal_basis": "Điểm h Mục 2.1 Chương trình 07/CTr-UBND ngày 30/6/2020 của UBND tỉnh Lào Cai",
        "agency": None,
    },
    {
        "code": "payment", "name": "Thanh toán vốn đầu tư", "days": 4, "working": True,
        "start_event": "kể từ ngày có khối lượng nghiệm thu",
        "legal_basis": "Mục 2.2 Chương trình 07/CTr-UBND ngày 30/6/2020 của UBND tỉnh Lào Cai",
        "agency": "KBNN",
    },
]


@transaction.atomic
def load(*, actor=None, **_) -> list[str]:
    created = 0
    for row in SEED_TYPES:
        if DossierType.objects.filter(code=row["code"]).exists():
            continue
        agency = Agency.objects.filter(code=row["agency"]).first() if row["agency"] else None
        actions.create_dossier_type(actor=actor, **{**row, "agency": agency})
        created += 1
    src = calendar.source()
    return [
        f"dossier types: {created} created, {DossierType.objects.count()} in all",
        f"working calendar: holidays {src['version']} (VN, confirmed through {src['confirmed_until']}), "
        f"{src['overrides']} override(s)",
    ]
