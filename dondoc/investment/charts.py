"""The province S-curve as server-rendered SVG (no script, no CDN): cumulative rate by month end against the
committed curve and the milestones of the year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dondoc.domain import disbursement as rules_mod
from dondoc.domain.formats import format_date

W, H = 680, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


def _x(month: float) -> float:
    return LEFT + (W - LEFT - RIGHT) * month / 12


def _y(rate: Decimal | float) -> float:
    value = max(0.0, min(float(rate), 110.0))
    return H - BOTTOM - (H - TOP - BOTTOM) * value / 110


def _day_x(day: dt.date) -> float:
    year_start = dt.date(day.year, 1, 1)
    days = (dt.date(day.year, 12, 31) - year_start).days + 1
    return _x(12 * ((day - year_start).days + 1) / days)


def _points(series: list[tuple[float, Decimal | None]]) -> str:
    return " ".join(f"{x:.1f},{_y(r):.1f}" for x, r in [(_x(0), Decimal(0))] + series if r is not None)


def s_curve_svg(curve: dict) -> SafeString:
    title = _("Cumulative disbursement rate of the %(year)s plan by month end") % {"year": curve["year"]}
    out = [f'<svg class="s-curve" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for pct in range(0, 101, 20):
        y = _y(pct)
        out.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}"/>'
                   f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{pct}%</text>')
    for month in range(1, 13):
        out.append(f'<text class="axis" x="{_x(month - 0.5):.1f}" y="{H - BOTTOM + 16}" '
                   f'text-anchor="middle">{month}</text>')
    out.append(f'<text class="axis" x="{(LEFT + W - RIGHT) / 2:.1f}" y="{H - 6}" text-anchor="middle">'
               f'{escape(_("month"))}</text>')
    as_of = curve["as_of"]
    if as_of.year == curve["year"]:
        x = _day_x(as_of)
        out.append(f'<line class="today" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{H - BOTTOM}"/>')
    if any(r for _m, r in curve["committed"]):
        committed = [(_x(m), r) for m, r in curve["committed"]]
        out.append(f'<polyline class="committed" points="{_points(committed)}"/>')
    actual = [(_day_x(day), r) for day, r in curve["actual"]]
    out.append(f'<polyline class="actual" points="{_points(actual)}"/>')
    for day, rate in curve["actual"]:
        if rate is not None:
            out.append(f'<circle class="actual" cx="{_day_x(day):.1f}" cy="{_y(rate):.1f}" r="3">'
                       f'<title>{format_date(day)}: {rules_mod.pct_vi(rate)}</title></circle>')
    for m in curve["milestones"] + curve["extended_milestones"]:
        x, y = _day_x(m.due), _y(m.percent)
        kind = "extended" if m.capital == rules_mod.EXTENDED else "milestone"
        label = f"{m.target_vi()} {m.due:%d/%m}" + (f" ({_('extended')})" if kind == "extended" else "")
        out.append(f'<path class="{kind}" d="M{x - 6:.1f},{y:.1f} L{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} '
                   f'L{x:.1f},{y + 6:.1f} Z"><title>{escape(m.literal or label)}</title></path>'
                   f'<text class="label {kind}" x="{x - 8:.1f}" y="{y - 9:.1f}" text-anchor="end">{escape(label)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - built from numbers and escaped text
