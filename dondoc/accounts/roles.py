"""Who a user is in the registry: their roles and agencies, read once per request and cached on the user.

Facts, not decisions: "may this user do X" is answered only by ``dondoc.access``; feature policies registered
there read these facts.
"""

from __future__ import annotations

from .models import Role

_CACHE = "_dondoc_roles"


def active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _roles(user) -> dict[str, set[int]]:
    """role -> agency ids, cached on the user object for the request."""
    if not active(user):
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
    return bool(getattr(user, "is_superuser", False) and active(user)) or Role.PROVINCE_ADMIN in _roles(user)


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
