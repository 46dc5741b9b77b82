"""Reference data: the petition categories with their default answer time limits. Creates what is missing,
never overwrites what the DPI changed.

The time limits are practice, not law: provinces set them in their own rules for receiving and handling
businesses' recommendations (typically 10 working days, more where site visits or several agencies are
needed). They are data: the DPI edits them on /petitions/categories/.
"""

from __future__ import annotations

from django.db import transaction

from . import actions
from .models import PetitionCategory

PRACTICE = "Thời hạn mặc định theo thực tiễn; Sở KH&ĐT điều chỉnh theo quy chế của tỉnh"
CATEGORIES = [
    ("land", "Đất đai, giải phóng mặt bằng", 15, 3),
    ("tax", "Thuế, phí, lệ phí", 10, 2),
    ("credit", "Tín dụng, ngân hàng", 10, 2),
    ("customs", "Hải quan, thương mại biên giới", 10, 2),
    ("procedures", "Thủ tục hành chính", 10, 2),
    ("planning", "Quy hoạch", 15, 3),
    ("other", "Khác", 10, 2),
]


@transaction.atomic
def load(*, actor=None, **_) -> list[str]:
    created = 0
    for position, (code, name, days, soon) in enumerate(CATEGORIES, start=1):
        if PetitionCategory.objects.filter(code=code).exists():
            continue
        actions.create_category(actor=actor, code=code, name=name, answer_days=days, due_soon_days=soon,
                                basis=PRACTICE, position=position)
        created += 1
    return [f"petition categories: {created} created, {PetitionCategory.objects.count()} in all"]
