"""The permission policy: can() and scope() in one module. Views fetch through get_*_for(), which 404s.

- province_admin (DPI staff): sees and manages everything;
- leader (PPC): sees everything, approves what the PPC approves, edits nothing else;
- agency_head / agency_officer: only their own agencies' data; heads approve and submit, officers prepare.
Anyone else (an outsider, another agency's officer) gets 404, never a hint that the object exists.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.module_loading import import_string

from .models import Agency, Role

_CACHE = "_dondoc_roles"


def _roles(user) -> dict[str, set[int]]:
    """role -> agency ids, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = {}
        for role, agency_id in user.memberships.values_list("role", "agency_id"):
            cached.setdefault(role, set()).add(agency_id)
        setattr(user, _CACHE, cached)
    return cached


def forget(user) -> None:
    """Drop the cached roles (after a membership change in the same request)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def is_province_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active) or Role.PROVINCE_ADMIN in _roles(user)


def is_leader(user) -> bool:
    return Role.LEADER in _roles(user)


def sees_all(user) -> bool:
    return is_province_admin(user) or is_leader(user)


def agency_ids(user, *roles: str) -> set[int]:
    """Agencies the user belongs to as head or officer (or the given roles)."""
    wanted = roles or (Role.AGENCY_HEAD, Role.AGENCY_OFFICER)
    found: set[int] = set()
    for role in wanted:
        found |= _roles(user).get(role, set())
    return found


def role_labels(user) -> list[str]:
    labels = [str(Role(r).label) for r in _roles(user)]
    if getattr(user, "is_superuser", False) and not labels:
        labels.append(str(Role.PROVINCE_ADMIN.label))
    return labels


def _agency_id_of(obj) -> int | None:
    if isinstance(obj, Agency):
        return obj.pk
    return getattr(obj, "agency_id", None)


# action -> who may do it, besides the province admin. Actions are "<thing>.<verb>".
_READ_ALL = {"agency.view", "task.view", "report.view", "report.consolidate"}
_HEAD_OWN = {"agency.edit", "report.submit"}  # heads approve and submit what officers prepare
_MEMBER_OWN = {"assignment.update", "extension.request", "report.edit"}  # officers prepare, heads too
_ADMIN_ONLY = {"audit.view", "organisation.edit", "membership.manage", "agency.create", "program.manage",
               "assignment.reopen", "extension.recommend", "report.review"}
_LEADER_ONLY = {"extension.decide"}  # the PPC's decisions: not even the province admin takes them


# Features whose rules depend on more than one agency (a petition's lead and coordinators) keep them in their own
# policy function; can() is still the one entry point: can(user, "petition.answer", petition).
POLICIES = {"petition": "dondoc.petitions.permissions.can", "investment": "dondoc.investment.permissions.policy"}


def can(user, action: str, obj: Model | None = None) -> bool:
    """May ``user`` do ``action`` (on ``obj``)? Unknown actions are refused."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    prefix, _, verb = action.partition(".")
    if prefix in POLICIES:
        return import_string(POLICIES[prefix])(user, verb, obj)
    if action in _LEADER_ONLY:
        return is_leader(user)
    if is_province_admin(user):
        return True
    if action in _ADMIN_ONLY:
        return False
    agency_id = _agency_id_of(obj) if obj is not None else None
    if action in _READ_ALL:
        if is_leader(user):
            return True
        return agency_id is not None and agency_id in agency_ids(user)
    if action in _HEAD_OWN:
        return agency_id is not None and agency_id in agency_ids(user, Role.AGENCY_HEAD)
    if action in _MEMBER_OWN:
        return agency_id is not None and agency_id in agency_ids(user)
    return False


def scope(user, queryset: QuerySet, agency_field: str | None = None) -> QuerySet:
    """What ``user`` may see of ``queryset``. Models name their agency path in ``SCOPE_AGENCY_FIELD``."""
    model = queryset.model
    policy = getattr(model, "SCOPE_POLICY", None)  # a path to scope(user, queryset) for multi-agency objects
    if policy:
        return import_string(policy)(user, queryset)
    if sees_all(user):
        return queryset
    ids = agency_ids(user)
    if not ids:
        return queryset.none()
    field = agency_field or ("pk" if model is Agency else getattr(model, "SCOPE_AGENCY_FIELD", "agency"))
    return queryset.filter(**{f"{field}__in": ids}).distinct()


def get_agency_for(user, code: str) -> Agency:
    try:
        return scope(user, Agency.objects.all()).get(code=code.upper())
    except Agency.DoesNotExist:
        raise Http404("no such agency") from None
