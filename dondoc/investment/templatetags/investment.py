"""Money in triệu đồng and rates with Vietnamese separators (the same in both UI languages)."""

from django import template

from dondoc.domain import disbursement as rules_mod
from dondoc.domain import vn_numbers

register = template.Library()


@register.filter
def trieu(dong) -> str:
    """Whole đồng shown in triệu đồng with one decimal: 1234500000 → "1.234,5"."""
    if dong is None or dong == "":
        return "—"
    return vn_numbers.format_money(int(dong))


@register.filter
def pct(rate) -> str:
    return rules_mod.pct_vi(rate)


@register.filter
def rate_class(rate) -> str:
    """"low" under 60%, "mid" under 80%, "ok" above; "" without a rate."""
    if rate is None:
        return ""
    return "low" if rate < 60 else "mid" if rate < 80 else "ok"
