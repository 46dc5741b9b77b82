"""Investment actions, reached through ``access.can(user, "investment.<verb>", obj)`` (access.POLICIES):
- "investment.view" → _READ_ALL (leader reads all; agency users their own investors' projects; the object's
  agency is ``investor.agency`` / ``project.investor.agency``);
- "investment.import", "investment.manage" → _ADMIN_ONLY;
- "investment.commit" → _MEMBER_OWN (the investor's agency officers and heads enter committed schedules).
"""

from __future__ import annotations

from dondoc.accounts import access

from .models import Investor, Project

ADMIN_ONLY = {"investment.import", "investment.manage", "investment.reallocate"}
LEADER_ONLY = {"investment.approve"}  # the PPC decides reallocations, not the DPI that proposes them
MEMBER_OWN = {"investment.commit"}
READ = {"investment.view"}


def _agency_id(obj) -> int | None:
    if isinstance(obj, Project):
        return obj.investor.agency_id
    if isinstance(obj, Investor):
        return obj.agency_id
    return getattr(obj, "agency_id", None)


def can(user, action: str, obj=None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if action in LEADER_ONLY:
        return access.is_leader(user)
    if access.is_province_admin(user):
        return True
    if action in ADMIN_ONLY:
        return False
    agency_id = _agency_id(obj) if obj is not None else None
    if action in READ:
        return access.is_leader(user) or (obj is None and bool(access.agency_ids(user))) or (
            agency_id is not None and agency_id in access.agency_ids(user))
    if action in MEMBER_OWN:
        return agency_id is not None and agency_id in access.agency_ids(user)
    return False


def policy(user, verb: str, obj=None) -> bool:
    """The entry ``access.can`` delegates to."""
    return can(user, f"investment.{verb}", obj)
