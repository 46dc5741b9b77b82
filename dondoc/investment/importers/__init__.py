"""`dondoc import plans FILE` and `dondoc import disbursements FILE`: read → validate → write, all or nothing.

By layer: ``layout`` finds the header and columns of a table read by ``dondoc.importers.tables``; ``common`` holds
the result (``Outcome``) and cell helpers; ``plans`` and ``disbursements`` validate rows and write them through
``actions.import_checked`` (plans: the whole file checked first, then one short transaction of bulk statements) /
``actions.import_staged`` (one audit event per batch, plus one per new investor and project); ``bulk`` is the raw writer of disbursement rows; ``commands`` the command-line adapters
(exit status 0 done or a clean dry run, 1 rejected — nothing written, 2 wrong usage). The web upload runs the
same ``import_plans`` / ``import_disbursements`` through a job (``jobs.py``).

Streaming: the file is read row by row and disbursements are written in batches with one raw ``executemany``
(SQLite) or ``COPY`` (PostgreSQL), each batch its own short transaction, under a staging batch no read sees; the
batch is published in one short final transaction, or discarded when any row is invalid (ADR 0012).
Idempotent: a payment is identified by project, date, amount and Treasury document number (or the file's hash
and row); a cumulative figure is stored as the difference from what is known; plan lines are compared with the
stored ones.
"""

from .commands import (
    add_disbursements_arguments,
    add_plans_arguments,
    handle_disbursements,
    handle_plans,
    text_lines,
)
from .common import UNITS, Outcome
from .disbursements import import_disbursements
from .plans import budget_level, import_plans, resolve_agency

__all__ = ["UNITS", "Outcome", "add_disbursements_arguments", "add_plans_arguments", "budget_level",
           "handle_disbursements", "handle_plans", "import_disbursements", "import_plans", "resolve_agency",
           "text_lines"]
