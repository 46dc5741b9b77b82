"""Writes to the agency registry, memberships and organisation settings. Each one is atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dondoc.core import audit
from dondoc.core.concurrency import check_version

from . import registry, roles
from .models import Agency, AgencyGroup, AgencyName, AliasProposal, Membership, Organisation

AGENCY_FIELDS = ["code", "name", "aliases", "kind", "parent", "email", "valid_from", "valid_to", "successor"]
ORGANISATION_FIELDS = [
    "province_name", "place_name", "parent_body", "issuing_body", "issuer_agency", "issuer_abbreviation",
    "signer_authority", "signer_title", "signer_name", "default_recipients", "valid_from",
]


@transaction.atomic
def create_agency(*, actor, code: str, name: str, **fields) -> Agency:
    code = code.strip().upper()
    if Agency.objects.filter(code=code).exists():
        raise ValidationError(_("An agency with code %(code)s already exists.") % {"code": code})
    agency = Agency(code=code, name=name.strip(), **fields)
    registry.check_aliases(code=code, aliases=agency.aliases)
    agency.full_clean()
    agency.save()
    audit.record(actor=actor, kind="agency.create", target=agency, agency=agency,
                 new=audit.snapshot(agency, AGENCY_FIELDS))
    return agency


@transaction.atomic
def update_agency(*, actor, agency: Agency, version: int | None = None, **changes) -> Agency:
    """Change contact data or classification. Renames go through rename_agency (history is kept).
    ``version``: the one the agency page was opened with (stale: ``StaleEdit``, nothing saved)."""
    if "name" in changes or "code" in changes:
        raise ValueError("use rename_agency to rename; codes never change")
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if "aliases" in changes:
        registry.check_aliases(code=agency.code, aliases=changes["aliases"])
    check_version(agency, version, unchanged=all(getattr(agency, k) == v for k, v in changes.items()),
                  kinds=("agency.update", "admin.agency.change"))
    if audit.apply_changes(actor=actor, obj=agency, fields=AGENCY_FIELDS, changes=changes, kind="agency.update",
                           agency=agency):
        Agency.objects.filter(pk=agency.pk).update(version=F("version") + 1)
        agency.version += 1
    return agency


@transaction.atomic
def rename_agency(*, actor, agency: Agency, new_name: str, on: dt.date, reference: str = "") -> Agency:
    """From ``on`` the agency bears ``new_name``; the old name stays valid for the days before."""
    new_name = new_name.strip()
    if new_name == agency.name:
        return agency
    AgencyName.objects.create(
        agency=agency, name=agency.name, valid_from=agency.valid_from, valid_to=on - dt.timedelta(days=1),
        reference=reference,
    )
    old_name, agency.name = agency.name, new_name
    agency.save()
    audit.record(actor=actor, kind="agency.rename", target=agency, agency=agency,
                 old={"name": old_name}, new={"name": new_name, "from": on}, note=reference)
    return agency


@transaction.atomic
def merge_agency(*, actor, agency: Agency, into: Agency, on: dt.date, reference: str = "") -> Agency:
    """``agency`` ceases on the day before ``on``; its history stays, later work goes to ``into``."""
    if agency.pk == into.pk:
        raise ValidationError(_("An agency cannot be merged into itself."))
    before = audit.snapshot(agency, ["valid_to", "successor"])
    agency.valid_to = on - dt.timedelta(days=1)
    agency.successor = into
    agency.full_clean()
    agency.save()
    audit.record(actor=actor, kind="agency.merge", target=agency, agency=agency, old=before,
                 new=audit.snapshot(agency, ["valid_to", "successor"]), note=reference)
    return agency


@transaction.atomic
def set_group(*, actor, code: str, name: str, phrases: list[str], members: list[Agency], note: str = "") -> AgencyGroup:
    group, created = AgencyGroup.objects.get_or_create(code=code, defaults={"name": name, "phrases": phrases, "note": note})
    before = {"name": group.name, "phrases": group.phrases, "members": sorted(group.members.values_list("code", flat=True))}
    group.name, group.phrases, group.note = name, phrases, note
    group.save()
    group.members.set(members)
    after = {"name": name, "phrases": phrases, "members": sorted(a.code for a in members)}
    old, new = audit.diff(before, after)
    if created or new:
        audit.record(actor=actor, kind="group.create" if created else "group.update", target=group,
                     old=None if created else old, new=after if created else new)
    return group


@transaction.atomic
def add_membership(*, actor, user, agency: Agency, role: str) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    if created:
        audit.record(actor=actor, kind="membership.add", target=membership, agency=agency,
                     new={"user": user.get_username(), "agency": agency.code, "role": role})
        roles.forget(user)
    return membership


@transaction.atomic
def remove_membership(*, actor, membership: Membership) -> None:
    data = {"user": membership.user.get_username(), "agency": membership.agency.code, "role": membership.role}
    audit.record(actor=actor, kind="membership.remove", target=membership, agency=membership.agency, old=data)
    membership.delete()
    roles.forget(membership.user)


@transaction.atomic
def create_user(*, actor, username: str, password_hash: str | None = None, email: str = "",
                first_name: str = "", is_staff: bool = False, is_superuser: bool = False):
    """Create an account. ``password_hash`` is an already hashed password (make_password)."""
    user_model = get_user_model()
    user = user_model(username=username, email=email, first_name=first_name, is_staff=is_staff,
                      is_superuser=is_superuser)
    if password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor=actor, kind="user.create", target=user,
                 new={"username": username, "email": email, "is_staff": is_staff, "is_superuser": is_superuser})
    return user


@transaction.atomic
def save_organisation(*, actor, organisation: Organisation | None = None, version: int | None = None,
                      **fields) -> Organisation:
    """Create settings valid from a date, or change an existing row. ``version``: the one the organisation
    page was opened with (stale: ``StaleEdit``, nothing saved)."""
    created = organisation is None
    if created:
        organisation = Organisation()
    else:
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        check_version(organisation, version, kinds=("organisation.update", "admin.organisation.change"),
                      unchanged=all(getattr(organisation, k) == v for k, v in fields.items()))
    before = {} if created else audit.snapshot(organisation, ORGANISATION_FIELDS)
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.full_clean()
    old, new = audit.diff(before, audit.snapshot(organisation, ORGANISATION_FIELDS))
    if created or new:
        if not created:
            organisation.version += 1
        organisation.save()
        audit.record(actor=actor, kind="organisation.create" if created else "organisation.update",
                     target=organisation, agency=organisation.issuer_agency, old=None if created else old, new=new)
    return organisation


def _clean_alias(text: str) -> str:
    return " ".join(text.split())


@transaction.atomic
def propose_alias(*, actor, agency: Agency, alias: str, at: dt.datetime) -> AliasProposal:
    """An agency head asks the province administrator to add ``alias`` to his agency. Refused at once when
    it already designates another agency (the administrator checks again when deciding)."""
    alias = _clean_alias(alias)
    if not alias:
        raise ValidationError(_("Write the alias to propose."))
    if alias in (agency.aliases or []):
        raise ValidationError(_("“%(alias)s” is already an alias of this agency.") % {"alias": alias})
    clashes = registry.alias_clashes(code=agency.code, aliases=[alias])
    if clashes:
        raise ValidationError(_("“%(alias)s” already designates %(other)s in the registry; an alias must name "
                                "only this agency.") % {"alias": alias, "other": clashes[0][1]})
    waiting = ValidationError(_("“%(alias)s” is already waiting for a decision.") % {"alias": alias})
    if agency.alias_proposals.filter(alias=alias, state=AliasProposal.State.PENDING).exists():
        raise waiting
    try:
        with transaction.atomic():  # two heads proposing at once: the one-pending constraint decides
            proposal = AliasProposal.objects.create(agency=agency, alias=alias, proposed_by=actor, proposed_at=at)
    except IntegrityError:
        raise waiting from None
    audit.record(actor=actor, kind="agency.alias_propose", target=proposal, agency=agency,
                 new={"alias": alias}, at=at)
    return proposal


@transaction.atomic
def decide_alias(*, actor, proposal: AliasProposal, approve: bool, note: str = "",
                 at: dt.datetime) -> AliasProposal:
    """The province administrator approves (the alias is added, if it still names only this agency) or
    rejects a pending proposal."""
    proposal = AliasProposal.objects.select_for_update().select_related("agency").get(pk=proposal.pk)
    if proposal.state != AliasProposal.State.PENDING:
        raise ValidationError(_("This proposal has already been decided."))
    agency = proposal.agency
    if approve and proposal.alias not in agency.aliases:
        update_agency(actor=actor, agency=agency, aliases=[*agency.aliases, proposal.alias])
    proposal.state = AliasProposal.State.APPROVED if approve else AliasProposal.State.REJECTED
    proposal.decided_by, proposal.decided_at, proposal.note = actor, at, note.strip()
    proposal.save()
    audit.record(actor=actor, kind="agency.alias_approve" if approve else "agency.alias_reject", target=proposal,
                 agency=agency, old={"state": "pending"}, new={"state": proposal.state, "alias": proposal.alias},
                 note=proposal.note, at=at)
    return proposal
