import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dondoc.accounts import actions
from dondoc.accounts.models import Agency, AgencyGroup, Membership, Organisation, Role
from dondoc.accounts.registry import registry_from_db
from dondoc.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_reference_builds_the_registry_and_is_idempotent():
    first = run("load_reference")
    assert "agencies: 32 created" in first
    assert Agency.objects.count() == 32
    events = AuditEvent.objects.count()
    second = run("load_reference")
    assert "agencies: 0 created, 32 in the registry" in second
    assert AuditEvent.objects.count() == events  # nothing changed, nothing audited


def test_groups_have_the_members_domain_md_names():
    run("load_reference")
    sbn = set(AgencyGroup.objects.get(code="@SBN").members.values_list("code", flat=True))
    assert {"SKHDT", "STC", "CT", "NHNN", "KBNN", "CA", "VPUBND", "BQLKKT", "SLDTBXH"} <= sbn
    assert not {"UBND", "BTGTU", "TPLC", "BX", "VB"} & sbn
    assert len(sbn) == 21  # 15 departments, BQLKKT, 4 central agencies, VPUBND
    huyen = set(AgencyGroup.objects.get(code="@HUYEN").members.values_list("code", flat=True))
    assert huyen == {"TPLC", "TXSP", "BX", "MK", "SMC", "BH", "BT", "BY", "VB"}
    assert AgencyGroup.objects.get(code="@CDT").members.count() == 0


def test_organisation_settings_ship_as_data():
    run("load_reference")
    org = Organisation.objects.get()
    assert org.parent_body == "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"
    assert org.issuing_body == "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"
    assert org.issuer_abbreviation == "SKHĐT"
    assert org.issuer_agency.code == "SKHDT"


def test_reloading_keeps_what_an_administrator_changed():
    run("load_reference")
    stc = Agency.objects.get(code="STC")
    actions.update_agency(actor=None, agency=stc, email="vanthu.stc@laocai.gov.vn")
    sbn = AgencyGroup.objects.get(code="@SBN")
    sbn.members.remove(Agency.objects.get(code="CA"))
    run("load_reference")
    assert Agency.objects.get(code="STC").email == "vanthu.stc@laocai.gov.vn"
    assert not sbn.members.filter(code="CA").exists()


def test_load_demo_creates_the_demo_accounts(demo):
    out = demo  # the output of load_demo's first run (a shared fixture)
    users = get_user_model().objects
    assert "demo accounts: 66 created" in out
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo")
    assert Membership.objects.filter(user=admin, role=Role.PROVINCE_ADMIN, agency__code="SKHDT").exists()
    assert Membership.objects.filter(user__username="lanhdao", role=Role.LEADER, agency__code="UBND").exists()
    for code in ("skhdt", "stc", "kbnn", "tplc", "vb"):
        assert Membership.objects.filter(user__username=code, role=Role.AGENCY_OFFICER).exists()
        assert Membership.objects.filter(user__username=f"{code}_ld", role=Role.AGENCY_HEAD).exists()
    assert not users.get(username="stc").is_staff
    assert Agency.objects.get(code="KBNN").email == "kbnn@example.invalid"
    assert "0 created" in run("load_demo")


def test_registry_from_db_resolves_former_names_after_a_rename():
    import datetime as dt

    run("load_reference")
    skhdt = Agency.objects.get(code="SKHDT")
    actions.rename_agency(actor=None, agency=skhdt, new_name="Sở Tài chính - Kế hoạch", on=dt.date(2025, 7, 1))
    registry = registry_from_db()
    assert registry.resolve("Sở Kế hoạch và Đầu tư") == "SKHDT"
    assert registry.resolve("Sở Tài chính - Kế hoạch") == "SKHDT"
