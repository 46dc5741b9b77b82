"""Money in triệu đồng and rates with Vietnamese separators (the same in both UI languages)."""

from django import template

from dondoc.domain.formats import format_money, format_percent

register = template.Library()


@register.filter
def trieu(dong) -> str:
    """Whole đồng shown in triệu đồng with one decimal: 1234500000 → "1.234,5"."""
    if dong is None or dong == "":
        return "—"
    return format_money(int(dong))


@register.filter
def pct(rate) -> str:
    return format_percent(rate)


@register.filter
def rate_class(rate) -> str:
    """"low" under 60%, "mid" under 80%, "ok" above; "" without a rate."""
    if rate is None:
        return ""
    return "low" if rate < 60 else "mid" if rate < 80 else "ok"
