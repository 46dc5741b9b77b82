"""The public status page /p/<tracking code>/: no login, only status, responsible agency, deadline and the
published answer — never the petitioner's contact, tax code, internal notes or agencies' internal work."""

import datetime as dt
import re

import pytest
from django.test import Client

from dondoc.core import clock
from dondoc.petitions import actions

pytestmark = pytest.mark.django_db
D = dt.date
PRIVATE = ["Kim Thành", "5300123456", "Nguyễn Văn Liên Hệ", "0912 345 678", "lienhe@kimthanh", "GHI-CHU-NOI-BO",
           "TIEN-DO-NOI-BO", "Y-KIEN-PHOI-HOP", "doanh thu giảm 40%", "secret-file.pdf"]


def page(petition):
    response = Client().get(f"/p/{petition.tracking_code}/")
    assert response.status_code == 200
    return response


def assert_nothing_private(html):
    html_lower = html.lower()
    for value in PRIVATE:
        assert value.lower() not in html_lower, value


@pytest.fixture
def handled(personas, coordinator, make_petition):
    p = make_petition(received=D(2020, 9, 1))
    actions.post_update(actor=personas.officer, petition=p, text="TIEN-DO-NOI-BO", on=D(2020, 9, 3), at=clock.now())
    actions.post_update(actor=coordinator, petition=p, text="Y-KIEN-PHOI-HOP", on=D(2020, 9, 4), at=clock.now())
    actions.add_attachment(actor=personas.officer, petition=p, name="secret-file.pdf", data=b"%PDF-1.4")
    return p


def test_status_before_and_after_publication(personas, handled):
    html = page(handled).text
    assert_nothing_private(html)
    assert "Sở Tài chính" in html and "16/09/2020" in html and handled.reference in html
    assert 'id="answer"' not in html
    actions.answer(actor=personas.officer, petition=handled, text="TRA-LOI-CONG-KHAI của Sở Tài chính",
                   on=D(2020, 9, 10), at=clock.now())
    assert "TRA-LOI-CONG-KHAI" not in page(handled).text  # answered, not yet published
    actions.publish(actor=personas.officer, petition=handled, on=D(2020, 9, 11), at=clock.now())
    response = page(handled)
    html = response.text
    assert "TRA-LOI-CONG-KHAI của Sở Tài chính" in html and "10/09/2020" in html
    assert_nothing_private(html)
    assert response["Cache-Control"] == "no-store" and "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert 'href="/petitions/' not in html  # no link into the internal register


def test_rerouted_and_escalated_name_who_is_responsible_now(personas, make_petition):
    from dondoc.accounts.models import Agency

    p = make_petition(received=D(2020, 9, 1))
    actions.route(actor=personas.admin, petition=p, lead=Agency.objects.get(code="STNMT"), on=D(2020, 9, 8),
                  reason="LY-DO-NOI-BO", at=clock.now())
    html = page(p).text
    assert "Sở Tài nguyên và Môi trường" in html and "Sở Tài chính" not in html and "LY-DO-NOI-BO" not in html
    actions.propose_escalation(actor=personas.admin, petition=p, reason="DE-XUAT-NOI-BO", at=clock.now())
    actions.decide_escalation(actor=personas.leader, petition=p, approve=True, note="Y-KIEN-LANH-DAO", at=clock.now())
    html = page(p).text
    assert "Ủy ban nhân dân tỉnh Lào Cai" in html
    assert "DE-XUAT-NOI-BO" not in html and "Y-KIEN-LANH-DAO" not in html


def test_merged_petition_follows_the_main_one(personas, make_petition):
    main = make_petition(received=D(2020, 9, 1))
    dup = make_petition("Đề nghị gia hạn nộp thuế TNDN", lead=None, received=D(2020, 9, 2))
    actions.merge(actor=personas.admin, duplicate=dup, into=main, reason="LY-DO-GOP", at=clock.now())
    actions.answer(actor=personas.officer, petition=main, text="TRA-LOI-CHUNG", on=D(2020, 9, 10), at=clock.now())
    actions.publish(actor=personas.admin, petition=main, on=D(2020, 9, 10), at=clock.now())
    html = page(dup).text
    assert 'id="merged"' in html and "TRA-LOI-CHUNG" in html and "Sở Tài chính" in html
    assert "LY-DO-GOP" not in html
    assert_nothing_private(html)


def test_unknown_or_guessed_codes_are_404(make_petition):
    p = make_petition()
    c = Client()
    for code in ("nope", p.tracking_code[:-1], p.tracking_code.upper() if p.tracking_code.upper() != p.tracking_code
                 else "x" + p.tracking_code, str(p.pk), p.reference):
        assert c.get(f"/p/{code}/").status_code == 404, code


def test_tracking_codes_are_unguessable(make_petition):
    codes = [make_petition(lead=None).tracking_code for _ in range(5)]
    assert len(set(codes)) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22,}", c) for c in codes)  # 16 random bytes, URL-safe
