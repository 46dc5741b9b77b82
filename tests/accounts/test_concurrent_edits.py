"""Issue 12: the lost update on the agency page (head and administrator) and the organisation page (two
administrators)."""

import datetime as dt
import re

import pytest
from django.test import Client

from dondoc.accounts import actions
from dondoc.accounts.models import Agency, Organisation, Role

pytestmark = pytest.mark.django_db
AGENCY = "/agencies/STC/edit/"
ORGANISATION = "/settings/organisation/"


def opened_version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def conflict_of(page: str) -> str:
    start = page.index('id="conflict"')
    return page[start:page.index("</section>", start)]


def test_head_and_administrator_save_the_same_agency(client_for, personas):
    head, admin = client_for("head"), client_for("admin")
    head_version = opened_version(head.get(AGENCY).text)
    admin_version = opened_version(admin.get(AGENCY).text)
    r = admin.post(AGENCY, {"version": admin_version, "email": "vanthu@stc.example.invalid",
                            "aliases_text": "STC tỉnh"})
    assert r.status_code == 302
    # The head's page was opened before the administrator saved: his save is refused, nothing overwritten.
    r = head.post(AGENCY, {"version": head_version, "email": "lanhdao@stc.example.invalid"})
    assert r.status_code == 409
    page = r.text
    assert "Người khác đã lưu nội dung này trong lúc bạn đang sửa" in page
    assert "t_admin đã lưu lúc" in page  # who saved, and when
    diff = conflict_of(page)
    assert "vanthu@stc.example.invalid" in diff and "lanhdao@stc.example.invalid" in diff
    assert 'value="lanhdao@stc.example.invalid"' in page  # his input is kept in the form
    stc = Agency.objects.get(code="STC")
    assert (stc.email, stc.aliases) == ("vanthu@stc.example.invalid", ["STC tỉnh"])
    # Resubmitting (the form now carries the current version) is his decision: saved, aliases untouched.
    new_version = opened_version(page)
    assert new_version != head_version
    assert head.post(AGENCY, {"version": new_version, "email": "lanhdao@stc.example.invalid"}).status_code == 302
    stc.refresh_from_db()
    assert (stc.email, stc.aliases) == ("lanhdao@stc.example.invalid", ["STC tỉnh"])
    assert stc.version == int(new_version) + 1


def test_an_alias_approved_meanwhile_is_not_dropped_by_a_stale_alias_list(client_for, personas):
    admin = client_for("admin")
    version = opened_version(admin.get(AGENCY).text)
    proposal = actions.propose_alias(actor=personas.head, agency=personas.own_agency, alias="Sở TC",
                                     at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC))
    actions.decide_alias(actor=personas.admin, proposal=proposal, approve=True,
                         at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC))
    # The page opened before the approval lists no alias; saving it as is would silently remove "Sở TC".
    r = admin.post(AGENCY, {"version": version, "email": "", "aliases_text": "STC tỉnh"})
    assert r.status_code == 409
    diff = conflict_of(r.text)
    assert "Sở TC" in diff and "STC tỉnh" in diff
    assert Agency.objects.get(code="STC").aliases == ["Sở TC"]


def test_saving_the_stored_values_on_a_stale_page_is_no_conflict(client_for, personas):
    head, admin = client_for("head"), client_for("admin")
    head_version = opened_version(head.get(AGENCY).text)
    admin.post(AGENCY, {"version": opened_version(admin.get(AGENCY).text), "email": "a@stc.example.invalid",
                        "aliases_text": ""})
    # Nothing of the administrator's would be lost: no conflict page.
    assert head.post(AGENCY, {"version": head_version, "email": "a@stc.example.invalid"}).status_code == 302


def organisation_data(version: str, **changes) -> dict:
    org = Organisation.objects.get()
    data = {
        "version": version, "province_name": org.province_name, "place_name": org.place_name,
        "parent_body": org.parent_body, "issuing_body": org.issuing_body,
        "issuer_agency": org.issuer_agency_id or "", "issuer_abbreviation": org.issuer_abbreviation,
        "signer_authority": org.signer_authority, "signer_title": org.signer_title, "signer_name": org.signer_name,
        "recipients_text": "\n".join(org.default_recipients),
    }
    return data | changes


def test_two_administrators_save_the_organisation_settings(client_for, personas):
    first = client_for("admin")
    second = Client()
    second.force_login(personas.make("t_admin2", "SKHDT", Role.PROVINCE_ADMIN, is_staff=True))
    first_version = opened_version(first.get(ORGANISATION).text)
    second_version = opened_version(second.get(ORGANISATION).text)
    assert first.post(ORGANISATION, organisation_data(first_version, signer_name="Nguyễn Văn A")).status_code == 302
    r = second.post(ORGANISATION, organisation_data(second_version, signer_name="Trần Thị B"))
    assert r.status_code == 409
    page = r.text
    assert "t_admin đã lưu lúc" in page
    diff = conflict_of(page)
    assert "Nguyễn Văn A" in diff and "Trần Thị B" in diff
    assert 'value="Trần Thị B"' in page  # the second administrator's input is kept
    assert Organisation.objects.get().signer_name == "Nguyễn Văn A"
    new_version = opened_version(page)
    assert new_version != second_version
    assert second.post(ORGANISATION, organisation_data(new_version, signer_name="Trần Thị B")).status_code == 302
    org = Organisation.objects.get()
    assert org.signer_name == "Trần Thị B" and org.version == int(new_version) + 1


def test_an_edit_in_django_admin_makes_an_open_agency_page_stale(client_for, personas):
    head, admin = client_for("head"), Client()  # Django's admin changes rows for superusers (IT) only
    admin.force_login(personas.make("t_it", "SKHDT", Role.PROVINCE_ADMIN, is_staff=True, is_superuser=True))
    head_version = opened_version(head.get(AGENCY).text)
    stc = Agency.objects.get(code="STC")
    r = admin.post(f"/admin/accounts/agency/{stc.pk}/change/", {
        "code": stc.code, "name": stc.name, "aliases": "[]", "kind": stc.kind, "parent": stc.parent_id or "",
        "email": "quantri@stc.example.invalid", "valid_from": "", "valid_to": "", "successor": "",
        "former_names-TOTAL_FORMS": "0", "former_names-INITIAL_FORMS": "0",
    })
    assert r.status_code == 302
    r = head.post(AGENCY, {"version": head_version, "email": "lanhdao@stc.example.invalid"})
    assert r.status_code == 409
    assert "t_it đã lưu lúc" in r.text and "quantri@stc.example.invalid" in conflict_of(r.text)
    assert Agency.objects.get(code="STC").email == "quantri@stc.example.invalid"
