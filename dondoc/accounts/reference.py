"""Reference data: the agency registry, its groups and the organisation settings, from a JSON file.

Idempotent and respectful of edits: what is missing is created; what an administrator changed is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from functools import cache
from pathlib import Path

from django.db import transaction

from dondoc.domain.agencies import Registry, candidates, name_key

from . import actions
from .models import Agency, AgencyGroup, Organisation

log = logging.getLogger(__name__)

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
DEFAULT_FILE = REFERENCE_DIR / "laocai_2020.json"


@cache
def read(path: Path = DEFAULT_FILE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


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


@transaction.atomic
def load(*, actor=None, path: Path = DEFAULT_FILE, **_) -> list[str]:
    data = read(path)
    valid_from = dt.date.fromisoformat(data["valid_from"]) if data.get("valid_from") else None
    created = 0
    for row in data["agencies"]:
        if Agency.objects.filter(code=row["code"]).exists():
            continue
        parent = Agency.objects.get(code=row["parent"]) if row.get("parent") else None  # parents come first
        actions.create_agency(actor=actor, code=row["code"], name=row["name"], aliases=row.get("aliases", []),
                              kind=row.get("kind", "other"), parent=parent, valid_from=valid_from)
        created += 1
    groups = 0
    for row in data.get("groups", []):
        if AgencyGroup.objects.filter(code=row["code"]).exists():
            continue
        kinds = row.get("members", {}).get("kinds", [])
        members = list(Agency.objects.filter(kind__in=kinds)) if kinds else []
        actions.set_group(actor=actor, code=row["code"], name=row["name"], phrases=row.get("phrases", []),
                          members=members, note=row.get("members", {}).get("note", ""))
        groups += 1
    org = data.get("organisation")
    organisations = 0
    if org and valid_from and not Organisation.objects.filter(valid_from=valid_from).exists():
        fields = {k: v for k, v in org.items() if k != "issuer_agency"}
        issuer = Agency.objects.filter(code=org.get("issuer_agency", "")).first()
        actions.save_organisation(actor=actor, issuer_agency=issuer, valid_from=valid_from, **fields)
        organisations = 1
    return [
        f"agencies: {created} created, {Agency.objects.count()} in the registry",
        f"groups: {groups} created, {AgencyGroup.objects.count()} in all",
        f"organisation settings: {organisations} created",
    ]
