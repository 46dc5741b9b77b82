"""Reference data: the agency registry, its groups and the organisation settings, from a JSON file.

Idempotent and respectful of edits: what is missing is created; what an administrator changed is kept.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

from django.db import transaction

from . import actions
from .models import Agency, AgencyGroup, Organisation

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
DEFAULT_FILE = REFERENCE_DIR / "laocai_2020.json"


@cache
def read(path: Path = DEFAULT_FILE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


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
