"""Home-page panels. Each feature appends a callable(request, today) -> dict | None to PANELS.

The dict has "template" (rendered with the rest of the dict as context) and optionally "order".
"""

from __future__ import annotations

from .loaders import optional

PANELS = [
    "dondoc.programs.panels.tasks",
    "dondoc.deadlines.panels.dossiers",
    "dondoc.reporting.panels.period",
    "dondoc.investment.panels.disbursement",
    "dondoc.petitions.panels.petitions",
]


def collect(request, today) -> list[dict]:
    out = []
    for path in PANELS:
        func = optional(path)
        panel = func(request, today) if func else None
        if panel:
            out.append(panel)
    return sorted(out, key=lambda p: p.get("order", 50))
