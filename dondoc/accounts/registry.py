"""The agency registry as saved: the name resolver every import uses, and the rule that an alias designates one
agency only (checked by the actions and the Django admin, listed by ``dondoc check``). Below the actions and the
reference loader, which both use it."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dondoc.domain.agencies import Registry, candidates, name_key

from .models import Agency, AgencyGroup

log = logging.getLogger(__name__)


def _registry_data() -> dict:
    return {
        "agencies": [
            {"code": a.code, "name": a.name, "aliases": a.aliases, "former_names": [f.name for f in a.former_names.all()]}
            for a in Agency.objects.prefetch_related("former_names")
        ],
        "groups": [{"code": g.code, "name": g.name, "phrases": g.phrases} for g in AgencyGroup.objects.all()],
    }


def registry_from_db() -> Registry:
    """The name resolver over the agencies and groups in the database (including former names).

    Never fails on a clash (data saved before aliases were checked, or edited behind the actions): an alias
    that is another agency's name is ignored and a name claimed twice resolves to nothing; each clash is
    logged. ``dondoc check --database default`` lists them (accounts.W001)."""
    registry = Registry.from_reference(_registry_data(), strict=False)
    for conflict in registry.conflicts:
        log.warning("agency registry: name claimed by two agencies, ignored: %s", conflict)
    return registry


def alias_clashes(*, code: str, aliases: list[str]) -> list[tuple[str, str]]:
    """(alias, other code) for each alias of agency ``code`` that would also designate another agency or
    group of the registry: equal to its name, code, alias or former name once folded, or reducing to it
    (a title or the province dropped, as the resolver does)."""
    data = _registry_data()
    taken: dict[str, str] = {}
    for a in data["agencies"]:
        if a["code"] == code:
            continue
        for name in (a["name"], a["code"], *a["aliases"], *a["former_names"]):
            for key in candidates(name_key(name)):
                taken.setdefault(key, a["code"])
    for g in data["groups"]:
        for name in (g["name"], g["code"].lstrip("@"), *g["phrases"]):
            for key in candidates(name_key(name)):
                taken.setdefault(key, g["code"])
    clashes = []
    for alias in aliases:
        other = next((taken[k] for k in candidates(name_key(alias)) if k in taken), None)
        if other:
            clashes.append((alias, other))
    return clashes


def registry_conflicts() -> list[str]:
    """Clashes in the registry as saved (see registry_from_db)."""
    return Registry.from_reference(_registry_data(), strict=False).conflicts


def check_aliases(*, code: str, aliases: list[str]) -> None:
    """Raise ValidationError on the ``aliases`` field when one of them already designates another agency: imports
    resolve names through the whole registry, so it would hand that agency's investors and dossiers to this one."""
    clashes = alias_clashes(code=code, aliases=list(aliases or []))
    if clashes:
        raise ValidationError({"aliases": [
            _("“%(alias)s” already designates %(other)s in the registry; an alias must name only this agency.")
            % {"alias": alias, "other": other} for alias, other in clashes
        ]})
