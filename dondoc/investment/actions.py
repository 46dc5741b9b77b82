"""Writes to the investment register (besides the bulk imports in importers.py). Each atomic and audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.core import audit, clock
from dondoc.domain import disbursement as rules_mod

from .models import Commitment, Investor, Project, Rule, RuleSet


@transaction.atomic
def load_rules(*, actor, year: int, program=None, denominator: str = rules_mod.TINH) -> RuleSet | None:
    """Store the rules the program states for ``year`` (once; later edits are kept). None if it states none."""
    existing = RuleSet.objects.filter(year=year).first()
    if existing is not None:
        return existing
    from dondoc.programs.models import ActionProgram

    from .queries import rules_from_programs

    derived = rules_from_programs(year)
    if not derived.milestones and derived.cut is None:
        return None
    if program is None:
        program = ActionProgram.objects.order_by("-issued_on").first()
    ruleset = RuleSet.objects.create(year=year, denominator=denominator, program=program)
    for m in derived.milestones:
        Rule.objects.create(ruleset=ruleset, kind=Rule.Kind.MILESTONE, capital=m.capital, op=m.op, percent=m.percent,
                            due_on=m.due, literal=m.literal, task=m.task)
    if derived.cut:
        c = derived.cut
        Rule.objects.create(ruleset=ruleset, kind=Rule.Kind.CUT, capital=Rule.Capital.CURRENT, op="<",
                            percent=c.percent, due_on=c.due, literal=c.literal, task=c.task)
    audit.record(actor=actor, kind="investment.rules_load", target=ruleset,
                 new={"year": year, "denominator": denominator,
                      "rules": [str(r) for r in ruleset.rules.all()]})
    return ruleset


@transaction.atomic
def set_schedule(*, actor, project: Project, year: int, months: dict[int, int]) -> int:
    """The investor's committed schedule of a project for ``year`` (month -> đồng). Returns the months changed."""
    if actor is not None and not access.can(actor, "investment.commit", project):
        raise PermissionDenied(_("You may not change this project's committed schedule."))
    if any(m < 1 or m > 12 for m in months) or any(v < 0 for v in months.values()):
        raise ValidationError(_("A committed schedule has twelve months of amounts that are not negative."))
    stored = {c.month: c for c in Commitment.objects.filter(project=project, year=year)}
    old, new = {}, {}
    today = clock.today()
    for month, amount in sorted(months.items()):
        current = stored.get(month)
        if current is None:
            if amount:
                Commitment.objects.create(project=project, year=year, month=month, amount=amount, committed_on=today)
                old[month], new[month] = None, amount
        elif current.amount != amount:
            old[month], new[month] = current.amount, amount
            current.amount, current.committed_on = amount, today
            current.save(update_fields=["amount", "committed_on"])
    if new:
        audit.record(actor=actor, kind="investment.schedule", target=project, agency=project.investor.agency,
                     old={str(k): v for k, v in old.items()}, new={"year": year, **{str(k): v for k, v in new.items()}})
    return len(new)


@transaction.atomic
def link_investor(*, actor, investor: Investor, agency) -> Investor:
    """Set the agency an investor rolls up to (province admin)."""
    if actor is not None and not access.can(actor, "investment.manage"):
        raise PermissionDenied(_("Only the province administrator links investors to agencies."))
    if investor.agency_id == (agency.pk if agency else None):
        return investor
    old = {"agency": investor.agency.code if investor.agency else None}
    investor.agency = agency
    investor.save(update_fields=["agency"])
    audit.record(actor=actor, kind="investment.investor_link", target=investor, agency=agency, old=old,
                 new={"agency": agency.code if agency else None})
    return investor
