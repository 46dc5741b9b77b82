"""Filters for the dossier lists: the compliance table's month cells and a row's days late, built in Python
(the province table has an agency × month cell each; the template engine cost ~0.1 ms a cell)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from dondoc.core.links import pk_url
from dondoc.domain.formats import format_number

register = template.Library()


@register.filter
def rate_cells(cells) -> str:
    """``<td>`` per month: the rate with its count in the title ("50,0%", "1/2"), "—" for a month without any."""
    out = []
    for c in cells:
        if c is None:
            out.append('<td class="num">—</td>')
        else:
            out.append(f'<td class="num"><span title="{format_number(c.on_time)}/{format_number(c.completed)}">'
                       f'{format_number(c.percent, 1)}%</span></td>')
    return mark_safe("".join(out))  # noqa: S308 - numbers only


@register.filter
def days_late(n: int) -> str:
    """"3 days late" (nothing when not late)."""
    if not n:
        return ""
    return ngettext("%(n)s day late", "%(n)s days late", n) % {"n": format_number(n)}


@register.filter
def dossier_url(pk: int) -> str:
    """``{% url 'deadlines:detail' pk %}`` for a list's rows, resolved once (``core.links``)."""
    return pk_url("deadlines:detail", pk)
