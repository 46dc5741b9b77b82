"""Template filters that show values through ``dondoc.domain.formats`` (loaded as a builtin; money and rates:
``investment``'s ``trieu`` and ``pct``).

``{{ day|vn_date }}`` → "05/10/2020" ("" for None, so ``|default:"—"`` works); aware datetimes are shown in the
local time zone first, as Django's ``date`` filter does.
"""

from __future__ import annotations

import datetime as dt

from django import template

from dondoc.domain import formats

register = template.Library()


@register.filter(expects_localtime=True)
def vn_date(value) -> str:
    return formats.format_date(value) if isinstance(value, dt.date) else ""
