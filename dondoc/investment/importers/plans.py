"""`dondoc import plans FILE`: capital plan lines; projects and investors created as met. The whole file is read,
matched and checked first with no write transaction open; then one short transaction of bulk statements writes the
new investors, projects, plan lines and their audit events (``actions.import_checked``, ADR 0012)."""

from __future__ import annotations

import datetime as dt
from itertools import chain
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dondoc.domain import vn_numbers
from dondoc.domain.formats import format_number
from dondoc.domain.text import search_key
from dondoc.importers.tables import TableError

from .. import actions
from ..models import Assigner, ImportBatch, Investor, PlanLine, Project, Source, budget_level
from .common import (
    PREVIEW_ROWS,
    Outcome,
    Progress,
    Ticker,
    amount_at,
    amount_clear,
    cell_at,
    check_units,
    file_digest,
    norm_code,
    open_layout,
    text_at,
)
from .layout import Layout, skip_row, source_in


def resolve_agency(name: str, registry, agencies: dict[str, object]):
    """The registry agency an investor rolls up to: its own name, or a district/department named inside it
    ("Ban QLDA đầu tư xây dựng huyện Bát Xát" → UBND huyện Bát Xát)."""
    code = registry.resolve(name)
    if code and code in agencies:
        return agencies[code]
    key = f" {search_key(name)} "
    best = None
    for agency in agencies.values():
        bare = search_key(agency.name)
        for prefix in ("ubnd ", "uy ban nhan dan "):
            if bare.startswith(prefix):
                bare = bare[len(prefix):]
        if len(bare) > 6 and f" {bare} " in key and (best is None or len(bare) > best[0]):
            best = (len(bare), agency)
    return best[1] if best else None


def _plan_lines(out: Outcome, number: int, cells: list, layout: Layout, plan_year: int, row_source: str | None
                ) -> list[tuple[str, int, int]] | None:
    """(source, year of origin, amount) of a plan row; None when a cell is wrong (errors recorded)."""
    values: dict[int, int | None] = {}
    bad = False
    for col in layout.amounts:
        if col.role in ("plan", "extended"):
            values[col.index] = amount_at(out, number, cells, col)
            if values[col.index] is None and text_at(cells, col.index):
                bad = True
            elif (values[col.index] or 0) < 0:
                out.error(number, col.label, _("A plan amount cannot be negative."))
                bad = True
    if bad:
        return None
    plan = layout.columns("plan")
    ext = layout.columns("extended")
    p_total = next((values[c.index] for c in plan if c.part == "total" and values[c.index] is not None), None)
    p_src = {c.source: values[c.index] or 0 for c in plan if c.part == "source"}
    p_of = next((c for c in plan if c.part == "of_extended"), None)
    years = [y for c in ext + ([p_of] if p_of else []) for y in c.years if y < plan_year]
    origin = max(years) if years else plan_year - 1
    ext_lines: dict[str, int] = {}
    if ext:
        e_src = {c.source: values[c.index] or 0 for c in ext if c.part == "source"}
        e_total = sum(values[c.index] or 0 for c in ext if c.part == "total")
        ext_lines = {s: v for s, v in e_src.items() if v} if e_src else (
            {row_source or Source.OTHER: e_total} if e_total else {})
    elif p_of is not None and values.get(p_of.index):
        nonzero = [s for s, v in p_src.items() if v]
        src = row_source or (nonzero[0] if len(nonzero) == 1 else None) or (None if p_src else Source.OTHER)
        if src is None:
            out.error(number, p_of.label, _("Cannot tell which funding source the extended capital belongs to: "
                                            "add a \"Nguồn vốn\" column."))
            return None
        ext_lines = {src: values[p_of.index]}
    ext_sum = sum(ext_lines.values())
    inclusive = p_of is not None or any(c.includes_extended for c in plan)
    if p_src:
        current = dict(p_src)
        if p_total is not None and p_of is None and sum(current.values()) != p_total and not inclusive:
            out.warn(number, plan[0].label, _("\"Tổng số\" %(total)s differs from the sum of the sources %(sum)s.")
                     % {"total": format_number(p_total),
                        "sum": format_number(sum(current.values()))})
        if inclusive and ext_sum and not (p_total is not None and sum(current.values()) == p_total - ext_sum):
            for s, v in ext_lines.items():
                current[s] = current.get(s, 0) - v
                if current[s] < 0:
                    out.error(number, p_of.label if p_of else plan[0].label,
                              _("The extended capital is larger than the %(source)s plan it is part of.")
                              % {"source": s})
                    return None
    elif plan:
        amount = (p_total or 0) - (ext_sum if inclusive else 0)
        if amount < 0:
            out.error(number, plan[0].label, _("The extended capital is larger than the plan it is part of."))
            return None
        current = {row_source or Source.OTHER: amount}
    else:
        current = {}
    lines = [(s, plan_year, v) for s, v in current.items()] + [(s, origin, v) for s, v in ext_lines.items()]
    return lines


def _latest_lines(year: int) -> dict[tuple, PlanLine]:
    latest: dict[tuple, PlanLine] = {}
    for line in PlanLine.objects.filter(year=year).order_by("id"):
        latest[line.key] = line
    return latest


def import_plans(*, path: Path, name: str | None = None, as_of: dt.date | None = None, unit: int | None = None,
                 year: int | None = None, assigner: str = Assigner.TINH, decision: str = "", revised: bool = False,
                 dry_run: bool = False, actor=None, progress: Progress | None = None) -> Outcome:
    """Capital plans: projects and investors created as met; plan lines compared with the stored ones."""
    from dondoc.accounts.models import Agency
    from dondoc.accounts.registry import registry_from_db

    out = Outcome("plans")
    opened = open_layout(out, path, name, {"code", "plan"}, unit)
    if opened is None:
        return out
    table, layout, pending, rest = opened
    rows = chain(pending, rest)
    if "code" not in layout.fields or not [c for c in layout.amounts if c.role in ("plan", "extended")]:
        out.error(None, "", _("No column of capital plan amounts (\"Kế hoạch vốn năm …\", \"Vốn kéo dài\")."))
        return out
    check_units(out, layout, ("plan", "extended"))
    plan_year = year or layout.year
    if plan_year is None:
        out.error(None, "", _("The plan year is not stated (\"năm 2020\" in the title or header); give --year."))
    if not out.ok:
        return out
    out.file_hash = file_digest(table.path)
    registry = registry_from_db()
    agencies = {a.code: a for a in Agency.objects.all()}
    projects = {p.code: p for p in Project.objects.select_related("investor")}
    investors = {i.search_name: i for i in Investor.objects.select_related("agency")}
    latest = _latest_lines(plan_year)
    effective = as_of  # the adapters give a revised plan its date (the day of the upload by default)
    kind = PlanLine.Kind.REVISED if revised else PlanLine.Kind.ORIGINAL
    tick = Ticker(table, progress)
    f = layout.fields
    seen: dict[tuple, int] = {}
    new_investors: list[Investor] = []  # unsaved until the write
    new_projects: list[Project] = []
    new_lines: list[PlanLine] = []
    ready: list[actions.PlanEntries] = []

    def check(batch) -> Outcome:
        for number, cells in rows:
            if number <= layout.data_after:
                continue
            code = norm_code(cell_at(cells, f["code"]))
            if not code:
                if skip_row(cells, layout):
                    continue
                out.error(number, layout.label("code"), _("The project code is missing."))
                continue
            lines = _plan_lines(out, number, cells, layout, plan_year,
                                source_in(text_at(cells, f.get("source"))) if "source" in f else None)
            if lines is None:
                continue
            out.rows += 1
            out.counted_rows.add(number)
            row_changed = False
            project = projects.get(code)
            investor_name = " ".join(text_at(cells, f.get("investor")).split())
            project_name = " ".join(text_at(cells, f.get("name")).split())
            if project is None:
                if not project_name:
                    out.error(number, layout.label("name") if "name" in f else "",
                              _("New project %(code)s has no name.") % {"code": code})
                    continue
                if not investor_name:
                    out.error(number, layout.label("investor") if "investor" in f else "",
                              _("New project %(code)s has no investor (\"Chủ đầu tư\").") % {"code": code})
                    continue
                investor = investors.get(search_key(investor_name))
                if investor is None:
                    investor = Investor(name=investor_name, search_name=search_key(investor_name),
                                        agency=resolve_agency(investor_name, registry, agencies))
                    investors[search_key(investor_name)] = investor
                    new_investors.append(investor)
                    if investor.agency is None:
                        out.warn(number, layout.label("investor"), _(
                            "Investor \"%(name)s\" is not linked to an agency of the registry; set its agency "
                            "so that the agency's officers see it.") % {"name": investor_name})
                raw_total = cell_at(cells, f.get("total_investment"))
                total_unit = layout.note_unit or unit or vn_numbers.MILLION
                if type(raw_total) is str and raw_total.strip() and not raw_total.strip().isdigit() and not \
                        amount_clear(out, number, layout.label("total_investment"), raw_total, total_unit):
                    continue
                try:
                    total_investment = vn_numbers.parse_amount(raw_total, total_unit)
                except ValueError:
                    total_investment = None
                project = Project(code=code, name=project_name[:500], investor=investor,
                                  group=text_at(cells, f.get("group"))[:16],
                                  district=text_at(cells, f.get("district"))[:100],
                                  total_investment=total_investment, leader=text_at(cells, f.get("leader"))[:255])
                projects[code] = project
                new_projects.append(project)
                row_changed = True
            elif investor_name and search_key(investor_name) != project.investor.search_name:
                out.warn(number, layout.label("investor"), _(
                    "Project %(code)s belongs to \"%(stored)s\"; the file says \"%(file)s\" (kept as stored).")
                    % {"code": code, "stored": project.investor.name, "file": investor_name})
            out.projects.add(code)
            for source, origin, amount in lines:
                out.total_amount += amount
                key = (code, source, plan_year, origin, assigner)
                if key in seen:
                    out.error(number, layout.label("code"), _(
                        "Project %(code)s already has this plan line on row %(row)s.")
                        % {"code": code, "row": seen[key]})
                    continue
                seen[key] = number
                stored = latest.get((project.pk, *key[1:])) if project.pk else None
                if stored is not None and stored.amount == amount:
                    continue
                if stored is None and amount == 0:
                    continue
                if stored is not None and not revised:
                    out.error(number, layout.label("code"), _(
                        "Project %(code)s: the stored %(source)s plan is %(old)s đồng, the file says %(new)s; "
                        "import a changed plan with --revised and --decision.")
                        % {"code": code, "source": Source(source).label, "old":
                           format_number(stored.amount), "new": format_number(amount)})
                    continue
                new_lines.append(PlanLine(
                    project=project, source=source, year=plan_year, origin_year=origin, assigner=assigner,
                    kind=kind, amount=amount, decision=decision[:255], effective_on=effective,
                    budget_level=budget_level(source, project.investor.agency)))
                row_changed = True
            if row_changed:
                out.created += 1
            else:
                out.unchanged += 1
            if len(out.preview) < PREVIEW_ROWS:
                out.preview.append({"row": number, "code": code, "name": project.name,
                                    "investor": project.investor.name,
                                    "amount": str(sum(v for _s, _o, v in lines)),
                                    "lines": [{"source": s, "origin_year": o, "amount": str(v)}
                                              for s, o, v in lines]})
            tick(out.rows)
        if out.ok and out.rows == 0:
            out.error(None, "", _("The file has no data rows."))
        if out.ok and out.created and batch is not None:  # made ready here, before the write transaction opens
            ready.append(actions.prepare_plan_entries(actor=actor, batch=batch, investors=new_investors,
                                                      projects=new_projects, lines=new_lines))
        return out

    def write(batch) -> None:
        actions.add_plan_entries(entries=ready[0])

    try:
        batch = actions.import_checked(
            actor=actor, kind=ImportBatch.Kind.PLANS, file_name=table.name, file_hash=out.file_hash, as_of=as_of,
            options={"year": plan_year, "assigner": assigner, "decision": decision, "revised": revised, "unit": unit},
            dry_run=dry_run, check=check, write=write)
        out.batch_id = batch.pk if batch else None
    except ValidationError as exc:  # another plan file is being imported
        out.error(None, "", " ".join(exc.messages))
        out.batch_id = None
    except TableError as exc:
        out.error(None, "", _("The file cannot be read: %(reason)s.") % {"reason": exc})
        out.batch_id = None
    finally:
        rest.close()
    return out


