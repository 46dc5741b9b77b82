"""Reallocation proposals (issue 7): each project's year-end forecast, the solver's transfers, their review by the
DPI and approval by a leader, which writes revised plan lines (never editing the old ones).

The capital moved is the province-assigned plan (assigner ``tinh``: the PPC decides it). A project's forecast is of
all its capital of the year (current + extended, as its committed schedule is); what it will not use is attributed
to its lines in proportion to what each line has left to disburse. A receiver takes its declared additional need
(capped by its remaining total investment) on one line: its current-year NSĐP line, else its largest current-year
line (see ADR 0005, "Reallocation").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.core import audit
from dondoc.domain import reallocation as solver
from dondoc.domain.forecast import Forecast, curve_share, forecast
from dondoc.domain.vn_numbers import format_money

from . import queries
from .importers import budget_level as derive_level
from .models import Assigner, PlanLine, Project, Proposal, ProposedTransfer, Source

ASSIGNER = Assigner.TINH
UNIT = solver.UNIT
SOURCE_LABELS = dict(Source.choices)


# Permissions ---------------------------------------------------------------------------------------------------
# "investment.reallocate": the province admin (DPI) prepares and adjusts proposals; "investment.approve": leaders
# only (rows of access.RULES).


def can_propose(user) -> bool:
    return access.can(user, "investment.reallocate")


def can_approve(user) -> bool:
    return access.can(user, "investment.approve")


def visible_proposals(user):
    return access.scope(user, Proposal.objects.all())


def get_proposal_for(user, pk: int) -> Proposal:
    try:
        return visible_proposals(user).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404("no such proposal") from None


# Analysis ------------------------------------------------------------------------------------------------------


@dataclass
class LineState:
    source: str
    budget_level: str
    origin_year: int
    amount: int  # the line's plan as of the date
    surplus: int = 0  # attributed share of the project's forecast unused capital


@dataclass
class ProjectForecast:
    project: Project
    plan: int
    disbursed: int
    forecast: Forecast
    declared_need: int
    remaining_investment: int | None
    need: int = 0  # what it may receive (declared, capped; 0 when it will not use its own plan)
    absorption: float = 1.0
    lines: list[LineState] = field(default_factory=list)
    receiving: LineState | None = None

    @property
    def unused(self) -> int:
        return self.forecast.unused(self.plan)

    @property
    def expected(self) -> int:
        return max(0, min(self.plan, self.forecast.year_end))


@dataclass
class Analysis:
    year: int
    as_of: dt.date
    projects: dict[str, ProjectForecast]
    lines: list[solver.Line]
    result: solver.Proposal

    @property
    def objective(self) -> int:
        return sum(p.expected for p in self.projects.values()) + self.result.gained

    def line(self, code: str, source: str, level: str, origin_year: int) -> LineState | None:
        return next((ln for ln in self.projects[code].lines
                     if (ln.source, ln.budget_level, ln.origin_year) == (source, level, origin_year)), None)

    def why(self, t: solver.Transfer) -> str:
        d, r = self.projects[t.source_code], self.projects[t.target_code]
        return (f"Dự án {d.project.code} dự báo đến ngày 31/12/{self.year} giải ngân {format_money(d.expected)}/"
                f"{format_money(d.plan)} triệu đồng, không sử dụng hết {format_money(d.unused)} triệu đồng; "
                f"dự án {r.project.code} có nhu cầu bổ sung vốn {format_money(r.need)} triệu đồng và đang giải ngân "
                f"{format_money(r.disbursed)}/{format_money(r.plan)} triệu đồng.")

    def as_dict(self) -> dict:
        """The `investment reallocate --json` contract."""
        return {"as_of": self.as_of.isoformat(),
                "transfers": [{"from": t.source_code, "to": t.target_code, "source": SOURCE_LABELS.get(t.source, t.source),
                               "budget_level": t.budget_level, "year": t.year, "amount": str(t.amount),
                               "why": self.why(t)} for t in self.result.transfers],
                "unplaced": str(self.result.unplaced), "objective": str(self.objective)}


def _latest_lines(year: int, as_of: dt.date) -> dict[int, dict[tuple[str, int], PlanLine]]:
    qs = PlanLine.objects.filter(year=year, assigner=ASSIGNER).filter(
        Q(effective_on__isnull=True) | Q(effective_on__lte=as_of))
    out: dict[int, dict[tuple[str, int], PlanLine]] = {}
    for line in sorted(qs, key=lambda ln: (ln.effective_on or dt.date.min, ln.id)):
        out.setdefault(line.project_id, {})[(line.source, line.origin_year)] = line
    return out


def _allocated(as_of: dt.date) -> dict[int, int]:
    """Project -> new capital allocated over all plan years (each year's own lines: origin year = plan year)."""
    out: dict[int, int] = {}
    latest: dict[tuple, tuple] = {}
    qs = PlanLine.objects.filter(assigner=ASSIGNER).filter(Q(effective_on__isnull=True) | Q(effective_on__lte=as_of))
    for row in sorted(qs.values("id", "project_id", "source", "year", "origin_year", "amount", "effective_on"),
                      key=lambda r: (r["effective_on"] or dt.date.min, r["id"])):
        if row["origin_year"] == row["year"]:
            latest[(row["project_id"], row["source"], row["year"])] = (row["project_id"], row["amount"])
    for pid, amount in latest.values():
        out[pid] = out.get(pid, 0) + amount
    return out


def _absorption(fc: Forecast, plan: int, disbursed: int, as_of: dt.date) -> float:
    """Share of extra capital a receiver is expected to disburse by year end: how well it keeps its pace."""
    if fc.method == "schedule":
        return float(Decimal(fc.inputs.get("kept_ratio", "1")))
    share = curve_share_safe(as_of)
    if plan <= 0 or share <= 0:
        return 0.0
    return round(min(1.0, float(Decimal(disbursed) / (Decimal(plan) * share))), 3)


def curve_share_safe(as_of: dt.date) -> Decimal:
    from dondoc.domain.forecast import REFERENCE_CURVE

    return curve_share(REFERENCE_CURVE, as_of)


def analyse(*, as_of: dt.date, year: int | None = None) -> Analysis:
    year = year or as_of.year
    latest = _latest_lines(year, as_of)
    paid = queries.disbursed_amounts(year, as_of)
    sched = queries.schedules(year)
    allocated = _allocated(as_of)
    projects: dict[str, ProjectForecast] = {}
    lines: list[solver.Line] = []
    for project in Project.objects.filter(pk__in=list(latest)).select_related("investor__agency").order_by("code"):
        pid, keyed = project.pk, latest[project.pk]
        states = [LineState(ln.source, ln.budget_level or derive_level(ln.source, project.investor.agency),
                            ln.origin_year, ln.amount) for (_s, _o), ln in sorted(keyed.items())]
        plan = sum(s.amount for s in states)
        disbursed = paid.get((pid, False), 0) + paid.get((pid, True), 0)
        running, cumulative = 0, {}
        for month in range(1, 13):
            running += sched.get(pid, {}).get(month, 0)
            cumulative[month] = running
        fc = forecast(plan=plan, disbursed=disbursed, as_of=as_of, schedule=cumulative if running else None)
        remaining = (None if project.total_investment is None
                     else max(0, project.total_investment - allocated.get(pid, 0)))
        pf = ProjectForecast(project, plan, disbursed, fc, project.additional_need, remaining, lines=states)
        pf.absorption = _absorption(fc, plan, disbursed, as_of)
        # Attribute the unused capital to the lines by what each has left to disburse (current / extended).
        unused = pf.unused
        if unused:
            kinds = {False: (sum(s.amount for s in states if s.origin_year == year), paid.get((pid, False), 0)),
                     True: (sum(s.amount for s in states if s.origin_year < year), paid.get((pid, True), 0))}
            weights = []
            for s in states:
                kind_plan, kind_paid = kinds[s.origin_year < year]
                weights.append(max(0, kind_plan - kind_paid) * s.amount // kind_plan if kind_plan else 0)
            total_w = sum(weights)
            for s, w in zip(states, weights, strict=True):
                s.surplus = min(s.amount, unused * w // total_w) if total_w else 0
        if unused < UNIT and project.additional_need > 0:
            pf.need = project.additional_need if remaining is None else min(project.additional_need, remaining)
            current = [s for s in states if s.origin_year == year]
            local = [s for s in current if s.source == Source.NSDP]
            pool = local or current
            if pool:
                pf.receiving = max(pool, key=lambda s: (s.amount, s.source))
        for s in states:
            need = pf.need if s is pf.receiving else 0
            if s.surplus or need:
                lines.append(solver.Line(project.code, s.source, s.budget_level, s.origin_year, surplus=s.surplus,
                                         need=need, absorption=pf.absorption))
        projects[project.code] = pf
    return Analysis(year, as_of, projects, lines, solver.propose(lines))


def analysis_of(proposal: Proposal) -> Analysis:
    """The analysis of a saved proposal with the transfers the DPI kept (for its Tờ trình and annex)."""
    analysis = analyse(as_of=proposal.as_of, year=proposal.year)
    kept = [solver.Transfer(t.donor.code, t.receiver.code, t.source, t.budget_level, t.origin_year, t.amount)
            for t in proposal.transfers.filter(amount__gt=0).select_related("donor", "receiver")]
    dropped = sum(t.proposed - t.amount for t in proposal.transfers.all())
    gained = sum(int(t.amount * analysis.projects[t.target_code].absorption) for t in kept)
    analysis.result = solver.Proposal(kept, analysis.result.unplaced + dropped, gained)
    return analysis


# Actions -------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_proposal(*, actor, as_of: dt.date, year: int | None = None) -> Proposal:
    if actor is not None and not can_propose(actor):
        raise PermissionDenied(_("Only the Department of Planning and Investment prepares reallocation proposals."))
    analysis = analyse(as_of=as_of, year=year)
    proposal = Proposal.objects.create(year=analysis.year, as_of=as_of, objective=analysis.objective,
                                       unplaced=analysis.result.unplaced, created_by=actor)
    ids = {code: pf.project.pk for code, pf in analysis.projects.items()}
    for t in analysis.result.transfers:
        donor_line = analysis.line(t.source_code, t.source, t.budget_level, t.year)
        ProposedTransfer.objects.create(
            proposal=proposal, donor_id=ids[t.source_code], receiver_id=ids[t.target_code], source=t.source,
            budget_level=t.budget_level, origin_year=t.year, proposed=t.amount, amount=t.amount,
            donor_limit=donor_line.surplus if donor_line else t.amount,
            receiver_limit=analysis.projects[t.target_code].need, why=analysis.why(t))
    audit.record(actor=actor, kind="investment.reallocation_propose", target=proposal,
                 new={"as_of": as_of.isoformat(), "year": analysis.year, "transfers": len(analysis.result.transfers),
                      "amount": sum(t.amount for t in analysis.result.transfers),
                      "objective": analysis.objective, "unplaced": analysis.result.unplaced})
    return proposal


@transaction.atomic
def declare_need(*, actor, project: Project, amount: int) -> Project:
    """The investor's declared additional need ("nhu cầu bổ sung vốn") of a project, in đồng (whole millions)."""
    if actor is not None and not access.can(actor, "investment.commit", project):
        raise PermissionDenied(_("You may not declare this project's additional need."))
    if amount < 0 or amount % UNIT:
        raise ValidationError(_("An additional need is a whole number of million đồng, not negative."))
    old = project.additional_need
    if old != amount:
        project.additional_need = amount
        project.save(update_fields=["additional_need"])
        audit.record(actor=actor, kind="investment.additional_need", target=project, agency=project.investor.agency,
                     old={"additional_need": old}, new={"additional_need": amount})
    return project


def _check_draft(proposal: Proposal) -> None:
    if proposal.state != Proposal.State.DRAFT:
        raise ValidationError(_("This proposal has been decided; it can no longer be changed."))


@transaction.atomic
def adjust_transfer(*, actor, transfer: ProposedTransfer, amount: int) -> ProposedTransfer:
    """Change (0 = remove) the amount of a transfer of a draft, within the donor's and the receiver's limits."""
    if actor is not None and not can_propose(actor):
        raise PermissionDenied(_("Only the Department of Planning and Investment adjusts reallocation proposals."))
    proposal = Proposal.objects.select_for_update().get(pk=transfer.proposal_id)
    _check_draft(proposal)
    if amount < 0 or amount % UNIT:
        raise ValidationError(_("A transfer is a whole number of million đồng, not negative."))
    siblings = proposal.transfers.exclude(pk=transfer.pk)
    given = sum(t.amount for t in siblings.filter(donor=transfer.donor, source=transfer.source,
                                                  budget_level=transfer.budget_level,
                                                  origin_year=transfer.origin_year))
    if given + amount > transfer.donor_limit:
        raise ValidationError(_("Project %(code)s would give more than its forecast says it will not use "
                                "(%(limit)s million đồng).") % {"code": transfer.donor.code,
                                                               "limit": format_money(transfer.donor_limit)})
    taken = sum(t.amount for t in siblings.filter(receiver=transfer.receiver))
    if taken + amount > transfer.receiver_limit:
        raise ValidationError(_("Project %(code)s would receive more than its additional need and remaining total "
                                "investment (%(limit)s million đồng).") % {"code": transfer.receiver.code,
                                                                          "limit": format_money(
                                                                              transfer.receiver_limit)})
    old = transfer.amount
    if old == amount:
        return transfer
    transfer.amount = amount
    transfer.save(update_fields=["amount"])
    audit.record(actor=actor, kind="investment.reallocation_adjust", target=proposal,
                 old={"transfer": transfer.pk, "amount": old},
                 new={"transfer": transfer.pk, "from": transfer.donor.code, "to": transfer.receiver.code,
                      "amount": amount})
    return transfer


def _revise(*, proposal: Proposal, decision: str, day: dt.date, sign: int, note: str) -> list[PlanLine]:
    """Revised lines for every key a proposal touches: the latest amount as of ``day`` ∓ the transfers."""
    deltas: dict[tuple, int] = {}
    levels: dict[tuple, str] = {}
    for t in proposal.transfers.filter(amount__gt=0):
        for pid, delta in ((t.donor_id, -t.amount), (t.receiver_id, t.amount)):
            key = (pid, t.source, t.origin_year)
            deltas[key] = deltas.get(key, 0) + sign * delta
            levels[key] = t.budget_level
    latest = _latest_lines(proposal.year, day)
    created = []
    for (pid, source, origin), delta in sorted(deltas.items()):
        if not delta:
            continue
        line = latest.get(pid, {}).get((source, origin))
        amount = (line.amount if line else 0) + delta
        if amount < 0:
            code = Project.objects.get(pk=pid).code
            raise ValidationError(_("The plan of project %(code)s (%(source)s, %(year)s) is now smaller than the "
                                    "transfer: prepare a new proposal.") % {"code": code, "source": source,
                                                                             "year": origin})
        created.append(PlanLine.objects.create(
            project_id=pid, source=source, budget_level=line.budget_level if line else levels[(pid, source, origin)],
            year=proposal.year, origin_year=origin, assigner=ASSIGNER, kind=PlanLine.Kind.REVISED, amount=amount,
            decision=decision, effective_on=day, note=note))
    return created


@transaction.atomic
def approve(*, actor, proposal: Proposal, decision: str, decided_on: dt.date) -> list[PlanLine]:
    """A leader approves: the kept transfers become revised plan lines with the decision reference."""
    if actor is not None and not can_approve(actor):
        raise PermissionDenied(_("Only a leader of the Provincial People's Committee approves a reallocation."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _check_draft(proposal)
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError(_("Give the number of the decision that approves the reallocation."))
    if not proposal.transfers.filter(amount__gt=0).exists():
        raise ValidationError(_("This proposal has no transfer left to approve."))
    lines = _revise(proposal=proposal, decision=decision, day=decided_on, sign=1,
                    note=f"Điều chuyển vốn theo đề xuất #{proposal.pk} ngày {proposal.as_of:%d/%m/%Y}")
    proposal.state, proposal.decision, proposal.decided_on = Proposal.State.APPROVED, decision, decided_on
    proposal.approved_by, proposal.approved_at = actor, timezone.now()
    proposal.save(update_fields=["state", "decision", "decided_on", "approved_by", "approved_at"])
    audit.record(actor=actor, kind="investment.reallocation_approve", target=proposal, old={"state": "draft"},
                 new={"state": "approved", "decision": decision, "decided_on": decided_on.isoformat(),
                      "plan_lines": [ln.pk for ln in lines]})
    return lines


@transaction.atomic
def reject(*, actor, proposal: Proposal, note: str = "") -> Proposal:
    if actor is not None and not can_approve(actor):
        raise PermissionDenied(_("Only a leader of the Provincial People's Committee approves a reallocation."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _check_draft(proposal)
    proposal.state = Proposal.State.REJECTED
    proposal.save(update_fields=["state"])
    audit.record(actor=actor, kind="investment.reallocation_reject", target=proposal, old={"state": "draft"},
                 new={"state": "rejected"}, note=note)
    return proposal


@transaction.atomic
def reverse(*, actor, proposal: Proposal, decision: str, decided_on: dt.date) -> list[PlanLine]:
    """Undo an approved reallocation by a new revision (the lines it wrote stay in the history)."""
    if actor is not None and not can_approve(actor):
        raise PermissionDenied(_("Only a leader of the Provincial People's Committee approves a reallocation."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != Proposal.State.APPROVED:
        raise ValidationError(_("Only an approved reallocation can be reversed."))
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError(_("Give the number of the decision that approves the reallocation."))
    lines = _revise(proposal=proposal, decision=decision, day=decided_on, sign=-1,
                    note=f"Hủy điều chuyển vốn theo đề xuất #{proposal.pk} ({proposal.decision})")
    proposal.state, proposal.reversal_decision = Proposal.State.REVERSED, decision
    proposal.save(update_fields=["state", "reversal_decision"])
    audit.record(actor=actor, kind="investment.reallocation_reverse", target=proposal, old={"state": "approved"},
                 new={"state": "reversed", "decision": decision, "decided_on": decided_on.isoformat(),
                      "plan_lines": [ln.pk for ln in lines]})
    return lines


# Documents -----------------------------------------------------------------------------------------------------

ANNEX_HEADERS = ["STT", "Dự án điều chuyển giảm", "Chủ đầu tư", "Dự án điều chuyển tăng", "Chủ đầu tư",
                 "Nguồn vốn", "Cấp ngân sách", "Năm vốn", "Số tiền (triệu đồng)", "Lý do"]
LEVEL_VI = {"central": "Ngân sách trung ương", "province": "Ngân sách tỉnh", "district": "Ngân sách huyện"}


def _rows(analysis: Analysis) -> list[list]:
    rows = []
    for n, t in enumerate(analysis.result.transfers, start=1):
        d, r = analysis.projects[t.source_code].project, analysis.projects[t.target_code].project
        rows.append([n, f"{d.code} — {d.name}", d.investor.name, f"{r.code} — {r.name}", r.investor.name,
                     SOURCE_LABELS.get(t.source, t.source), LEVEL_VI.get(t.budget_level, t.budget_level), t.year,
                     t.amount // UNIT, analysis.why(t)])
    return rows


def xlsx(analysis: Analysis) -> bytes:
    from dondoc.documents.spreadsheet import Sheet, build_xlsx

    total = sum(t.amount for t in analysis.result.transfers) // UNIT
    rows = _rows(analysis) + [["", "Tổng cộng", "", "", "", "", "", "", total, ""]]
    return build_xlsx([Sheet("Phụ lục điều chuyển vốn", ANNEX_HEADERS, rows,
                             heading=f"Phụ lục: Dự kiến điều chuyển kế hoạch vốn đầu tư công năm {analysis.year} "
                                     f"(số liệu giải ngân đến ngày {analysis.as_of:%d/%m/%Y})",
                             number_formats={8: "#,##0"}, widths={1: 40, 2: 28, 3: 40, 4: 28, 9: 60})])


def document(analysis: Analysis, *, date: dt.date | None = None):
    """The draft Tờ trình to the PPC (Decree 30/2020/NĐ-CP), headings and signer from the organisation settings."""
    from dondoc.accounts.models import Organisation
    from dondoc.documents.model import OfficialDocument, Section, Table

    date = date or analysis.as_of
    org = Organisation.on(date) or Organisation.objects.order_by("-valid_from").first()
    province = org.province_name if org else ""
    transfers = analysis.result.transfers
    moved = sum(t.amount for t in transfers)
    donors = {t.source_code for t in transfers}
    receivers = {t.target_code for t in transfers}
    plan = sum(p.plan for p in analysis.projects.values())
    disbursed = sum(p.disbursed for p in analysis.projects.values())
    rate = f"{Decimal(disbursed * 100) / plan:.2f}".replace(".", ",") if plan else "—"
    m = format_money
    situation = Section("TÌNH HÌNH GIẢI NGÂN VÀ DỰ BÁO", [
        f"Đến ngày {analysis.as_of:%d/%m/%Y}, kế hoạch vốn đầu tư công năm {analysis.year} do HĐND, UBND tỉnh giao "
        f"là {m(plan)} triệu đồng; đã giải ngân {m(disbursed)} triệu đồng, đạt {rate}%.",
        f"Theo tiến độ đã cam kết của các chủ đầu tư (hoặc nhịp độ giải ngân của từng dự án theo mùa vụ giải ngân "
        f"của tỉnh), dự báo đến ngày 31/12/{analysis.year} giải ngân được "
        f"{m(sum(p.expected for p in analysis.projects.values()))} triệu đồng; "
        f"{sum(1 for p in analysis.projects.values() if p.unused >= UNIT)} dự án không sử dụng hết "
        f"{m(sum(p.unused for p in analysis.projects.values()))} triệu đồng."])
    table = Table(["STT", "Giảm", "Tăng", "Nguồn vốn", "Năm vốn", "Số tiền (triệu đồng)"],
                  [[str(n), t.source_code, t.target_code, SOURCE_LABELS.get(t.source, t.source), str(t.year),
                    m(t.amount)] for n, t in enumerate(transfers, start=1)]
                  + [["", "Tổng cộng", "", "", "", m(moved)]],
                  widths_cm=[1.2, 3.2, 3.2, 2.4, 2, 3.5], numeric={5}, bold_rows={len(transfers)})
    proposal = Section("NỘI DUNG ĐỀ XUẤT ĐIỀU CHUYỂN", [
        f"Điều chuyển {m(moved)} triệu đồng từ {len(donors)} dự án dự báo không giải ngân hết kế hoạch vốn sang "
        f"{len(receivers)} dự án giải ngân tốt và có nhu cầu bổ sung vốn, trong cùng nguồn vốn, cùng cấp ngân sách "
        "và cùng năm kế hoạch vốn (vốn kéo dài vẫn là vốn kéo dài); không điều chuyển giảm quá số vốn dự báo không "
        "sử dụng hết và không điều chuyển tăng quá nhu cầu bổ sung vốn, tổng mức đầu tư còn lại của dự án.",
        f"Sau điều chuyển, dự kiến giải ngân đến ngày 31/12/{analysis.year} đạt {m(analysis.objective)} triệu đồng "
        f"(tăng {m(analysis.result.gained)} triệu đồng); còn {m(analysis.result.unplaced)} triệu đồng chưa có dự án "
        "đủ điều kiện tiếp nhận.",
        "Chi tiết từng khoản điều chuyển và lý do tại Phụ lục kèm theo."], tables=[table])
    ask = Section("KIẾN NGHỊ", [
        f"Sở Kế hoạch và Đầu tư kính trình UBND tỉnh xem xét, quyết định điều chỉnh kế hoạch vốn đầu tư công năm "
        f"{analysis.year} theo nội dung trên (dự thảo Quyết định kèm theo)."])
    return OfficialDocument(
        parent_body=org.parent_body if org else "", issuing_body=org.issuing_body if org else "", type_code="TTr",
        issuer_abbreviation=org.issuer_abbreviation if org else "", number=None,
        place=org.place_name if org else "", date=date, type_title="TỜ TRÌNH",
        summary=f"Về việc điều chỉnh, điều chuyển kế hoạch vốn đầu tư công năm {analysis.year}",
        addressee=f"Kính gửi: Ủy ban nhân dân tỉnh {province}",
        opening=[f"Căn cứ Luật Đầu tư công ngày 13/6/2019; căn cứ tình hình giải ngân kế hoạch vốn đầu tư công năm "
                 f"{analysis.year} đến ngày {analysis.as_of:%d/%m/%Y}, Sở Kế hoạch và Đầu tư kính trình UBND tỉnh "
                 "phương án điều chuyển kế hoạch vốn như sau:"],
        sections=[situation, proposal, ask],
        recipients=list(org.default_recipients) if org else ["Lưu: VT."],
        signer_authority=org.signer_authority if org else "", signer_title=org.signer_title if org else "",
        signer_name=org.signer_name if org else "")


def docx(analysis: Analysis, *, date: dt.date | None = None) -> bytes:
    from dondoc.documents.official import build_docx

    return build_docx(document(analysis, date=date))
