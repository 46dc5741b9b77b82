"""Every view with the five personas: admin, leader, officer and head of STC, officer of KBNN, anonymous."""

import pytest
from django.urls import reverse

from dondoc.accounts.models import Agency
from dondoc.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "leader", "officer", "head", "other", "anonymous"]


def expect(client, url, status):
    response = client.get(url)
    if status == "login":
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    else:
        assert response.status_code == status, (url, response.status_code)
    return response


@pytest.mark.parametrize("persona", PERSONAS)
def test_home(client_for, persona):
    response = expect(client_for(persona), "/", "login" if persona == "anonymous" else 200)
    if persona != "anonymous":
        assert 'data-count="agencies"' in response.text
        assert "32" in response.text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("leader", 200), ("officer", 200), ("head", 200), ("other", 404), ("anonymous", "login")],
)
def test_agency_detail_of_stc(client_for, persona, status):
    response = expect(client_for(persona), "/agencies/STC/", status)
    if status == 200:
        assert "Sở Tài chính" in response.text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("leader", 404), ("officer", 404), ("head", 200), ("other", 404), ("anonymous", "login")],
)
def test_agency_edit_page(client_for, persona, status):
    expect(client_for(persona), "/agencies/STC/edit/", status)


@pytest.mark.parametrize(
    ("persona", "codes"),
    [("admin", 32), ("leader", 32), ("officer", 1), ("head", 1), ("other", 1)],
)
def test_agency_list_is_scoped(client_for, persona, codes):
    response = expect(client_for(persona), "/agencies/", 200)
    assert response.text.count('class="code"><a href="/agencies/') == codes


def test_agency_list_search_without_accents(client_for):
    response = client_for("admin").get("/agencies/", {"q": "so tai chinh"})
    assert "/agencies/STC/" in response.text and "/agencies/KBNN/" not in response.text


def test_head_edits_own_agency_contact_and_it_is_audited(client_for, personas):
    c = client_for("head")
    response = c.post("/agencies/STC/edit/", {"email": "vanthu@stc.example.invalid", "aliases_text": "STC\nSở TC"})
    assert response.status_code == 302
    stc = Agency.objects.get(code="STC")
    assert stc.email == "vanthu@stc.example.invalid" and stc.aliases == []  # aliases: the DPI only (issue 12)
    event = AuditEvent.objects.get(kind="agency.update", agency=stc)
    assert event.actor == personas.head


def test_the_administrator_edits_aliases(client_for):
    response = client_for("admin").post("/agencies/STC/edit/", {"email": "", "aliases_text": "STC\nSở TC"})
    assert response.status_code == 302
    assert Agency.objects.get(code="STC").aliases == ["STC", "Sở TC"]


def test_bad_email_is_refused_in_vietnamese(client_for):
    response = client_for("admin").post("/agencies/STC/edit/", {"email": "khong-phai-email"})
    assert response.status_code == 200
    assert "Nhập địa chỉ email." in response.text  # Django's Vietnamese message
    assert Agency.objects.get(code="STC").email == ""


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("leader", 404), ("officer", 404), ("head", 404), ("other", 404), ("anonymous", "login")],
)
def test_audit_page_is_for_province_admins(client_for, persona, status):
    expect(client_for(persona), "/audit/", status)


def test_audit_page_filters(client_for, personas):
    c = client_for("admin")
    c.post("/agencies/STC/edit/", {"email": "a@example.invalid", "aliases_text": ""})
    response = c.get("/audit/", {"kind": "agency.update", "agency": "stc"})
    assert response.text.count("<code>agency.update</code>") == 1
    assert "<code>agency.create</code>" not in response.text
    partial = c.get("/audit/", {"kind": "agency.create"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and partial.text.count("<code>agency.create</code>") == 32
    bad = c.get("/audit/", {"since": "31/02/2020"})
    assert "dd/mm/yyyy" in bad.text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("leader", 404), ("officer", 404), ("head", 404), ("other", 404), ("anonymous", "login")],
)
def test_organisation_settings_page(client_for, persona, status):
    expect(client_for(persona), "/settings/organisation/", status)


def test_admin_changes_organisation_settings_as_data(client_for):
    from dondoc.accounts.models import Organisation

    c = client_for("admin")
    org = Organisation.objects.get()
    data = {
        "province_name": "Lào Cai", "place_name": "Lào Cai", "parent_body": "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
        "issuing_body": "SỞ TÀI CHÍNH", "issuer_agency": Agency.objects.get(code="STC").pk,
        "issuer_abbreviation": "STC", "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn A", "recipients_text": "UBND tỉnh (b/c);\nLưu: VT.",
    }
    assert c.post("/settings/organisation/", data).status_code == 302
    org.refresh_from_db()
    assert org.issuing_body == "SỞ TÀI CHÍNH" and org.default_recipients == ["UBND tỉnh (b/c);", "Lưu: VT."]
    assert AuditEvent.objects.filter(kind="organisation.update").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("leader", 302), ("officer", 302), ("head", 302), ("other", 302), ("anonymous", 302)],
)
def test_django_admin_only_for_staff(client_for, persona, status):
    response = client_for(persona).get("/admin/")
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")


def test_admin_edits_through_django_admin_are_audited(client_for, personas):
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    c = client_for("admin")
    stc = personas.own_agency
    response = c.post(f"/admin/accounts/agency/{stc.pk}/change/", {
        "code": "STC", "name": "Sở Tài chính", "aliases": "[]", "kind": "department", "email": "z@example.invalid",
        "parent": stc.parent_id, "valid_from": "01/01/2020", "former_names-TOTAL_FORMS": "0",
        "former_names-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(kind="admin.agency.change")
    assert event.new == {"email": "z@example.invalid"} and event.actor == personas.admin


def test_password_change_is_audited(client_for, personas):
    c = client_for("officer")
    response = c.post("/accounts/password/", {"old_password": personas.password, "new_password1": "Kh0ng-d0an-duoc!",
                                              "new_password2": "Kh0ng-d0an-duoc!"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(kind="user.password_change", actor=personas.officer).exists()


def test_login_page_and_wrong_password_message(client, personas):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "t_stc", "password": "wrong"})
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.text
    response = client.post("/accounts/login/", {"username": "t_stc", "password": personas.password})
    assert response.status_code == 302 and response["Location"] == "/"
