"""The one permission module: ``can(user, action, obj)`` and ``scope(user, queryset)``. Views, commands and
actions ask here and nowhere else; views fetch through ``get_*_for()``, which 404s.

- province_admin (DPI staff): sees and manages everything;
- leader (PPC): sees everything, approves what the PPC approves, edits nothing else;
- agency_head / agency_officer: only their own agencies' data; heads approve and submit, officers prepare.
Anyone else (an outsider, another agency's officer) gets 404, never a hint that the object exists.

This is the composition layer: rules that depend on more than one agency or on an object's state live in the
feature's policy module (``petitions/permissions.py``, ``investment/permissions.py``), imported and registered
here by direct reference. There is no "see everything" by omission: a read that should see every row passes
``everything=True`` explicitly (commands and documents of the province), never ``user=None``.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404

from dondoc.accounts.models import Agency, Role
from dondoc.accounts.roles import agency_ids, forget, is_leader, is_province_admin, role_labels, sees_all
from dondoc.investment import permissions as investment_policy
from dondoc.investment.models import Project, Proposal, ProposedTransfer
from dondoc.petitions import permissions as petition_policy
from dondoc.petitions.models import Petition

__all__ = [
    "PERMISSIONS", "agencies_for", "agency_ids", "can", "forget", "get_agency_for", "is_leader",
    "is_province_admin", "role_labels", "scope", "sees_all",
]

# Who may do an action, besides the province admin. Actions are "<thing>.<verb>".
ADMIN = "admin only"  # the DPI's own work
LEADER = "leader only"  # the PPC's decisions: not even the province admin takes them
READ = "leader, or members of the object's agency"  # with no object: leaders only
READ_LIST = "leader, or any agency member (each sees their own rows)"
HEAD_OWN = "heads of the object's agency"  # heads approve and submit what officers prepare
MEMBER_OWN = "heads and officers of the object's agency"  # officers prepare, heads too

RULES: dict[str, str] = {
    "agency.view": READ, "agency.edit": HEAD_OWN, "agency.create": ADMIN, "membership.manage": ADMIN,
    "alias.edit": ADMIN, "alias.propose": HEAD_OWN, "alias.decide": ADMIN,  # aliases steer every import
    "organisation.edit": ADMIN, "audit.view": ADMIN, "ops.view": ADMIN,
    "program.manage": ADMIN, "task.view": READ,
    "assignment.update": MEMBER_OWN, "assignment.reopen": ADMIN,
    "extension.request": MEMBER_OWN, "extension.recommend": ADMIN, "extension.decide": LEADER,
    "report.view": READ, "report.edit": MEMBER_OWN, "report.submit": HEAD_OWN, "report.review": ADMIN,
    "report.consolidate": READ,
    "dossier.edit": MEMBER_OWN, "calendar.manage": ADMIN,
    "investment.view": READ_LIST, "investment.commit": MEMBER_OWN, "investment.import": ADMIN,
    "investment.manage": ADMIN, "investment.reallocate": ADMIN, "investment.approve": LEADER,
}

# Feature policies for objects whose rules depend on more than one agency or on their state.
POLICIES = {"petition": petition_policy.can}
SCOPES = {Petition: petition_policy.scope, Proposal: investment_policy.scope_proposals,
          ProposedTransfer: investment_policy.scope_transfers}

PERMISSIONS = frozenset(RULES) | frozenset(f"petition.{verb}" for verb in petition_policy.ACTIONS)


def _agency_id_of(obj) -> int | None:
    if isinstance(obj, Agency):
        return obj.pk
    if isinstance(obj, Project):
        return obj.investor.agency_id
    if isinstance(obj, int):
        return obj
    return getattr(obj, "agency_id", None)


def can(user, action: str, obj: Model | int | None = None) -> bool:
    """May ``user`` do ``action`` (on ``obj``, or on the agency whose id ``obj`` is)? Unknown actions are refused."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    prefix, _, verb = action.partition(".")
    if prefix in POLICIES:
        return POLICIES[prefix](user, verb, obj)
    rule = RULES.get(action)
    if rule is None:
        return False
    if rule == LEADER:
        return is_leader(user)
    if is_province_admin(user):
        return True
    if rule == ADMIN:
        return False
    if rule == READ_LIST and obj is None:
        return is_leader(user) or bool(agency_ids(user))
    if rule in (READ, READ_LIST) and is_leader(user):
        return True
    agency_id = _agency_id_of(obj) if obj is not None else None
    if agency_id is None:
        return False
    if rule == HEAD_OWN:
        return agency_id in agency_ids(user, Role.AGENCY_HEAD)
    return agency_id in agency_ids(user)  # READ, READ_LIST, MEMBER_OWN


def scope(user, queryset: QuerySet, agency_field: str | None = None, *, everything: bool = False) -> QuerySet:
    """What ``user`` may see of ``queryset``. Models name their agency path in ``SCOPE_AGENCY_FIELD``;
    ``everything=True`` is the explicit "the whole province" of commands and province documents."""
    if everything:
        return queryset
    if user is None:
        raise TypeError("scope() needs a user, or everything=True for the whole province")
    model = queryset.model
    if model in SCOPES:
        return SCOPES[model](user, queryset)
    if sees_all(user):
        return queryset
    ids = agency_ids(user)
    if not ids:
        return queryset.none()
    field = agency_field or ("pk" if model is Agency else getattr(model, "SCOPE_AGENCY_FIELD", "agency"))
    return queryset.filter(**{f"{field}__in": ids}).distinct()


def partial(user, everything: bool = False) -> bool:
    """Whether a read for ``user`` shows less than the whole province (figures are then marked as partial)."""
    if everything:
        return False
    if user is None:
        raise TypeError("partial() needs a user, or everything=True for the whole province")
    return not sees_all(user)


def agencies_for(user, action: str) -> QuerySet:
    """The agencies on whose objects ``user`` may do ``action`` (e.g. enter dossiers for)."""
    agencies = Agency.objects.all()
    if is_province_admin(user) and RULES.get(action) != LEADER:
        return agencies
    return agencies.filter(pk__in=[pk for pk in agency_ids(user) if can(user, action, pk)])


def get_agency_for(user, code: str) -> Agency:
    try:
        return scope(user, Agency.objects.all()).get(code=code.upper())
    except Agency.DoesNotExist:
        raise Http404("no such agency") from None

