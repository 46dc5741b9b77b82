"""Home-page panels: each feature's callable(request, today) -> dict | None, in this list.

The dict has "template" (rendered with the rest of the dict as context) and optionally "order".
"""

from __future__ import annotations

from dondoc.deadlines import panels as deadlines_panels
from dondoc.investment import panels as investment_panels
from dondoc.petitions import panels as petitions_panels
from dondoc.programs import panels as programs_panels
from dondoc.reporting import panels as reporting_panels

PANELS = [
    programs_panels.tasks,
    deadlines_panels.dossiers,
    reporting_panels.period,
    investment_panels.disbursement,
    petitions_panels.petitions,
]


def collect(request, today) -> list[dict]:
    panels = [panel for func in PANELS if (panel := func(request, today))]
    return sorted(panels, key=lambda p: p.get("order", 50))
