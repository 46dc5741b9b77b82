"""Issue 12: optimistic locking on a project's edit forms (committed schedule, declared additional need)."""

from __future__ import annotations

import re

import pytest

from dondoc.investment.models import Commitment, Project

from .conftest import MILLION

pytestmark = pytest.mark.django_db
SCHEDULE = "/investment/projects/7810657/schedule/"
NEED = "/investment/projects/7810657/need/"


def opened_version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def months(**values) -> dict:
    return {f"m{m}": "" for m in range(1, 13)} | values


def test_two_people_save_the_schedule(client_for, paid):
    officer, head = client_for("officer"), client_for("head")
    v_officer = opened_version(officer.get("/investment/projects/7810657/").text)
    v_head = opened_version(head.get("/investment/projects/7810657/").text)
    assert officer.post(SCHEDULE, months(m11="150", version=v_officer)).status_code == 302
    r = head.post(SCHEDULE, months(m11="90", m12="40", version=v_head))
    assert r.status_code == 409
    conflict = r.text[r.text.index('id="conflict"'):]
    assert "Người khác đã lưu nội dung này" in conflict and "t_stc đã lưu lúc" in conflict
    assert "150,0" in conflict and "90,0" in conflict  # month 11: theirs vs yours
    assert dict(Commitment.objects.filter(project=paid["p1"]).values_list("month", "amount")) == {11: 150 * MILLION}
    assert 'value="90"' in r.text  # the head's figures are still in the form
    r = head.post(SCHEDULE, months(m11="90", m12="40", version=opened_version(r.text)))
    assert r.status_code == 302
    assert dict(Commitment.objects.filter(project=paid["p1"]).values_list("month", "amount")) == {
        11: 90 * MILLION, 12: 40 * MILLION}


def test_two_people_declare_the_need(client_for, paid):
    officer, head = client_for("officer"), client_for("head")
    v_officer, v_head = opened_version(officer.get(NEED).text), opened_version(head.get(NEED).text)
    assert officer.post(NEED, {"need": "300", "version": v_officer}).status_code == 302
    r = head.post(NEED, {"need": "120", "version": v_head})
    assert r.status_code == 409 and "300,0" in r.text and 'value="120"' in r.text
    assert Project.objects.get(code="7810657").additional_need == 300 * MILLION
    assert head.post(NEED, {"need": "120", "version": opened_version(r.text)}).status_code == 302
    assert Project.objects.get(code="7810657").additional_need == 120 * MILLION
