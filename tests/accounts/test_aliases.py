"""Aliases steer every import (dossiers, plans, programs): one alias must designate one agency only, and only
the province administrator sets them. Heads propose, the DPI decides. Old clashing data never breaks a reader."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from dondoc.accounts import actions
from dondoc.accounts.models import Agency, AliasProposal
from dondoc.accounts.registry import alias_clashes, registry_conflicts, registry_from_db
from dondoc.core import clock
from dondoc.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("alias", ["Sở Y tế", "sở y tế", "SỞ Y TẾ", "SYT", "Giám đốc Sở Y tế", "Sở Y tế tỉnh Lào Cai",
                                   "Kho bạc Nhà nước", "Sở KH&ĐT", "Sở Kế hoạch và Đầu tư", "các sở, ban, ngành"])
def test_an_alias_naming_another_agency_is_refused(personas, alias):
    stc = personas.own_agency
    with pytest.raises(ValidationError):
        actions.update_agency(actor=personas.admin, agency=stc, aliases=[alias])
    assert Agency.objects.get(pk=stc.pk).aliases == []


def test_an_alias_naming_only_this_agency_is_kept(personas):
    actions.update_agency(actor=personas.admin, agency=personas.own_agency, aliases=["STC tỉnh", "Sở TC"])
    assert Agency.objects.get(code="STC").aliases == ["STC tỉnh", "Sở TC"]
    assert registry_from_db().resolve("Sở TC") == "STC"


def test_the_shipped_registry_has_no_clash(reference):
    assert registry_conflicts() == []
    for agency in Agency.objects.all():
        assert alias_clashes(code=agency.code, aliases=agency.aliases) == [], agency.code


def test_an_agency_head_can_no_longer_set_aliases(personas, client_for):
    client = client_for("head")
    response = client.post(reverse("agencies:edit", args=["STC"]),
                           {"email": "stc@example.invalid", "aliases_text": "Sở Y tế"})
    assert response.status_code == 302
    stc = Agency.objects.get(code="STC")
    assert stc.email == "stc@example.invalid" and stc.aliases == []
    assert "aliases_text" not in client.get(reverse("agencies:edit", args=["STC"])).content.decode()


def test_the_administrator_sees_the_clash_on_the_form(personas, client_for):
    response = client_for("admin").post(reverse("agencies:edit", args=["STC"]),
                                        {"email": "", "aliases_text": "Sở Tài chính tỉnh\nSở Y tế"})
    assert response.status_code == 200
    assert "SYT" in response.content.decode()
    assert Agency.objects.get(code="STC").aliases == []


def test_a_head_proposes_and_the_administrator_approves(personas, client_for):
    head, admin = client_for("head"), client_for("admin")
    head.post(reverse("agencies:alias_propose", args=["STC"]), {"alias": "Sở TC tỉnh"})
    proposal = AliasProposal.objects.get()
    assert (proposal.state, proposal.proposed_by) == ("pending", personas.head)
    assert Agency.objects.get(code="STC").aliases == []  # nothing changes before the decision
    assert "Sở TC tỉnh" in admin.get(reverse("agencies:alias_proposals")).content.decode()
    admin.post(reverse("agencies:alias_decide", args=[proposal.pk]), {"decision": "approve", "next": "list"})
    proposal.refresh_from_db()
    assert proposal.state == "approved" and proposal.decided_by == personas.admin
    assert Agency.objects.get(code="STC").aliases == ["Sở TC tỉnh"]
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {"agency.alias_propose", "agency.alias_approve", "agency.update"} <= kinds


def test_a_rejected_proposal_changes_nothing(personas):
    proposal = actions.propose_alias(actor=personas.head, agency=personas.own_agency, alias="Sở TC", at=clock.now())
    actions.decide_alias(actor=personas.admin, proposal=proposal, approve=False, note="Không dùng", at=clock.now())
    assert Agency.objects.get(code="STC").aliases == []
    assert AuditEvent.objects.filter(kind="agency.alias_reject").exists()
    with pytest.raises(ValidationError):
        actions.decide_alias(actor=personas.admin, proposal=proposal, approve=True, at=clock.now())


def test_a_clashing_proposal_is_refused_with_a_message(personas, client_for):
    response = client_for("head").post(reverse("agencies:alias_propose", args=["STC"]), {"alias": "Sở Y tế"},
                                       follow=True)
    assert not AliasProposal.objects.exists()
    assert "SYT" in response.content.decode()


def test_approval_checks_again(personas):
    """SYT took the spelling after the proposal was made: approving it would hand SYT's names to STC."""
    proposal = actions.propose_alias(actor=personas.head, agency=personas.own_agency, alias="Sở YT", at=clock.now())
    actions.update_agency(actor=personas.admin, agency=Agency.objects.get(code="SYT"), aliases=["Sở YT"])
    with pytest.raises(ValidationError):
        actions.decide_alias(actor=personas.admin, proposal=proposal, approve=True, at=clock.now())
    proposal.refresh_from_db()
    assert proposal.state == "pending" and Agency.objects.get(code="STC").aliases == []


def _old_clash():
    """Data saved before aliases were checked: STC carries SYT's name."""
    Agency.objects.filter(code="STC").update(aliases=["Sở Y tế"])


def test_old_clashing_data_does_not_break_the_readers(personas):
    _old_clash()
    registry = registry_from_db()  # used to raise "name … is claimed by both STC and SYT"
    assert registry.resolve("Sở Y tế") == "SYT"  # the agency's own name wins: no capture
    assert registry.resolve("Sở Tài chính") == "STC"
    assert registry.conflicts
    from dondoc.programs.services import registry as program_registry  # `program parse/load`

    assert program_registry().resolve("Sở Y tế") == "SYT"


def test_old_clashing_data_does_not_capture_an_investor(personas):
    from dondoc.investment.importers.plans import resolve_agency

    _old_clash()
    agencies = {a.code: a for a in Agency.objects.all()}
    assert resolve_agency("Sở Y tế", registry_from_db(), agencies).code == "SYT"


def test_a_dossier_import_still_works_on_clashing_data(personas):
    from dondoc.deadlines import importers

    _old_clash()
    data = ("Loại hồ sơ,Cơ quan giải quyết,Số hồ sơ,Trích yếu,Ngày nhận\n"
            "appraisal,Sở Y tế,TĐ-9,Thẩm định,20/01/2020\n").encode()
    report = importers.run_dossiers(name="d.csv", data=data, everything=True)
    assert report.ok, report.errors


def test_the_check_names_each_clash(personas):
    _old_clash()
    out = io.StringIO()
    call_command("check", databases=["default"], stdout=out, stderr=out)
    assert "accounts.W001" in out.getvalue() and "STC" in out.getvalue()
