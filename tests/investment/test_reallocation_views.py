"""Persona matrix for the reallocation review screens (issue 7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dondoc.investment import actions
from dondoc.investment.models import PlanLine, Proposal

from .conftest import MILLION, D
from .test_reallocation import small  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
NAMES = ("admin", "leader", "officer", "head", "other", "anonymous")


@pytest.fixture
def proposal(small, personas):  # noqa: F811
    return actions.create_proposal(actor=personas.admin, as_of=D(2020, 9, 30))


def test_list_and_detail_per_persona(proposal, client_for, small):  # noqa: F811
    url_list, url = reverse("investment:reallocation"), reverse("investment:proposal", args=[proposal.pk])
    for name in NAMES:
        c = client_for(name)
        r = c.get(url_list)
        if name == "anonymous":
            assert r.status_code == 302
            assert c.get(url).status_code == 302
            continue
        assert r.status_code == 200 and url in r.content.decode()
        assert c.get(url).status_code == 200
    # Only KBNN's projects touched: STC's officer and head no longer see it (404), KBNN's officer does.
    proposal.transfers.update(receiver=small["p3"], donor=small["p3"])
    for name, status in (("officer", 404), ("head", 404), ("other", 200), ("leader", 200), ("admin", 200)):
        assert client_for(name).get(url).status_code == status, name
    assert url not in client_for("officer").get(url_list).content.decode()


def test_only_dpi_prepares_and_adjusts(small, client_for):  # noqa: F811
    url = reverse("investment:reallocation")
    for name in ("leader", "officer", "head", "other"):
        assert client_for(name).post(url, {"as_of": "30/09/2020"}).status_code == 403
    assert not Proposal.objects.exists()
    r = client_for("admin").post(url, {"as_of": "30/09/2020"})
    p = Proposal.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/reallocation/{p.pk}/")
    t = p.transfers.get()
    detail = reverse("investment:proposal", args=[p.pk])
    assert client_for("leader").post(detail, {"action": "adjust", "transfer": t.pk, "amount": "100"}).status_code == 403
    client_for("admin").post(detail, {"action": "adjust", "transfer": t.pk, "amount": "120"})
    t.refresh_from_db()
    assert t.amount == 120 * MILLION
    client_for("admin").post(detail, {"action": "adjust", "transfer": t.pk, "amount": "999"})  # over the need
    t.refresh_from_db()
    assert t.amount == 120 * MILLION


def test_only_leaders_approve(proposal, client_for, small):  # noqa: F811
    url = reverse("investment:proposal", args=[proposal.pk])
    data = {"action": "approve", "decision": "2345/QĐ-UBND", "decided_on": "15/10/2020"}
    for name in ("admin", "officer", "head", "other"):
        assert client_for(name).post(url, data).status_code == 403, name
    assert not PlanLine.objects.filter(kind="revised").exists()
    assert client_for("leader").post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "approved" and proposal.decision == "2345/QĐ-UBND"
    assert set(PlanLine.objects.filter(kind="revised").values_list("project__code", "amount")) == {
        ("7810657", 1_300 * MILLION), ("7900001", 1_700 * MILLION)}


def test_downloads_use_the_kept_amounts(proposal, client_for):
    import io

    import docx
    from openpyxl import load_workbook

    t = proposal.transfers.get()
    actions.adjust_transfer(actor=None, transfer=t, amount=200 * MILLION)
    url = reverse("investment:proposal", args=[proposal.pk])
    r = client_for("leader").get(url + "?format=xlsx")
    assert r.status_code == 200
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows()]
    assert next(row for row in rows if "Tổng cộng" in row)[8] == 200
    r = client_for("admin").get(url + "?format=docx")  # the province's documents (agencies: 404, see below)
    document = docx.Document(io.BytesIO(r.content))
    text = "\n".join(c.text for tb in document.tables for row in tb.rows for c in row.cells)
    assert "200,0" in text and "7900001" in text
    assert client_for("anonymous").get(url + "?format=docx").status_code == 302


def test_declare_need_per_persona(register, client_for):
    from dondoc.core.models import AuditEvent
    from dondoc.investment.models import Project

    url = reverse("investment:need", args=["7810657"])  # STC's project
    for name, status in (("admin", 200), ("officer", 200), ("head", 200), ("leader", 403), ("other", 404),
                         ("anonymous", 302)):
        assert client_for(name).get(url).status_code == status, name
    assert client_for("leader").post(url, {"need": "100"}).status_code == 403
    assert client_for("officer").post(url, {"need": "250,5"}).status_code == 302  # not whole millions: refused
    assert Project.objects.get(code="7810657").additional_need == 0
    client_for("officer").post(url, {"need": "1.250"})
    assert Project.objects.get(code="7810657").additional_need == 1_250 * MILLION
    assert AuditEvent.objects.filter(kind="investment.additional_need").count() == 1


def test_an_agency_sees_only_the_transfers_touching_its_projects(proposal, client_for, small):  # noqa: F811
    """Issue 12: STC's users saw every line of a proposal, other agencies' projects and forecasts included."""
    kbnn_only = proposal.transfers.get()
    kbnn_only.pk = None
    kbnn_only.receiver = small["p3"]
    kbnn_only.amount = kbnn_only.proposed = 77 * MILLION
    kbnn_only.why = "Chỉ liên quan Kho bạc"
    kbnn_only.save()
    url = reverse("investment:proposal", args=[proposal.pk])
    from dondoc.domain.formats import format_money

    objective = format_money(proposal.objective)  # as the page shows it
    for name in ("officer", "head"):  # STC
        page = client_for(name).get(url).content.decode()
        assert "7810657" in page and "Chỉ liên quan Kho bạc" not in page, name  # p3 → p3 is not STC's
        assert page.count('id="transfer-') == 1, name
        assert objective not in page, name  # the province-wide forecast is not an agency's
        assert client_for(name).get(url + "?format=xlsx").status_code == 404, name
        assert client_for(name).get(url + "?format=docx").status_code == 404, name
        listing = client_for(name).get(reverse("investment:reallocation")).content.decode()
        assert objective not in listing, name
    page = client_for("other").get(url).content.decode()  # KBNN: both lines touch its project p3
    assert page.count('id="transfer-') == 2
    for name in ("admin", "leader"):
        page = client_for(name).get(url).content.decode()
        assert page.count('id="transfer-') == 2 and objective in page, name
        assert client_for(name).get(url + "?format=xlsx").status_code == 200, name


def test_two_reviewers_adjust_the_same_transfer(proposal, client_for, personas):
    """Issue 12: the second reviewer's page showed the old amount; his change is refused, the first kept."""
    import re

    from django.test import Client

    from dondoc.accounts.models import Role

    url = reverse("investment:proposal", args=[proposal.pk])
    t = proposal.transfers.first()
    first, second = client_for("admin"), Client()
    second.force_login(personas.make("t_admin2", "SKHDT", Role.PROVINCE_ADMIN))

    def opened(page: str) -> str:
        return re.search(rf'name="transfer" value="{t.pk}"><input type="hidden" name="opened" value="(\d+)"',
                         page).group(1)

    seen_first, seen_second = opened(first.get(url).text), opened(second.get(url).text)
    assert first.post(url, {"action": "adjust", "transfer": t.pk, "opened": seen_first, "amount": "120"}).status_code == 302
    r = second.post(url, {"action": "adjust", "transfer": t.pk, "opened": seen_second, "amount": "90"})
    assert r.status_code == 409
    diff = r.text[r.text.index('id="conflict"'):r.text.index("</section>", r.text.index('id="conflict"'))]
    assert "120" in diff and "90" in diff
    assert 'value="90"' in r.text  # his amount is kept in the box
    t.refresh_from_db()
    assert t.amount == 120 * MILLION
    # The page now carries the current amount: saving again is his decision.
    assert opened(r.text) == str(120 * MILLION)
    assert second.post(url, {"action": "adjust", "transfer": t.pk, "opened": opened(r.text), "amount": "90"}).status_code == 302
    t.refresh_from_db()
    assert t.amount == 90 * MILLION
