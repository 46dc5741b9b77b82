"""In real Chromium: the DPI registers a petition (seeing a similar one suggested), routes it to STC; the STC
officer answers and publishes; the petitioner, without an account, reads the answer on the public page.
Vietnamese labels: passes once the petitions messages are merged into the catalogue."""

import datetime as dt

import pytest
from django.core.management import call_command

from dondoc.accounts import demo as accounts_demo
from dondoc.accounts.models import Agency
from dondoc.core import clock
from dondoc.petitions import actions
from dondoc.petitions.models import Petition, PetitionCategory, State
from tests.browser.test_shell import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts(transactional_db):
    call_command("load_reference", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    accounts_demo.load(as_of=None)


def test_intake_route_answer_public(page, live_server, demo_accounts):
    base = live_server.url
    older = actions.intake(actor=None, received_on=dt.date(2020, 9, 1), channel="letter",
                           category=PetitionCategory.objects.get(code="land"), business_name="Công ty A",
                           subject="Vướng mắc giải phóng mặt bằng dự án Kè sông Hồng đoạn Cốc Lếu",
                           text="Vướng mắc giải phóng mặt bằng dự án Kè sông Hồng đoạn Cốc Lếu", at=clock.now())
    login(page, base, "admin")
    page.goto(f"{base}/petitions/")
    page.get_by_role("link", name="Tiếp nhận kiến nghị").click()
    page.get_by_label("Ngày nhận").fill("01/10/2020")
    page.get_by_label("Kênh tiếp nhận").select_option("meeting")
    page.get_by_label("Lĩnh vực").select_option(label="Đất đai, giải phóng mặt bằng")
    page.get_by_label("Doanh nghiệp").fill("Công ty TNHH Xây dựng Hoàng Liên")
    page.get_by_label("Điện thoại").fill("0912 000 111")
    page.get_by_label("Trích yếu").fill("Kiến nghị GPMB dự án kè sông Hồng Cốc Lếu")
    page.get_by_label("Nội dung kiến nghị").fill("Đề nghị tháo gỡ vướng mắc GPMB dự án kè sông Hồng đoạn Cốc Lếu.")
    page.get_by_label("Nội dung kiến nghị").blur()
    page.wait_for_selector(f'#similar [data-ref="{older.reference}"]')  # the similar petition is suggested
    page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    page.wait_for_url("**/petitions/*/")
    petition = Petition.objects.exclude(pk=older.pk).get()
    assert f"Đã tiếp nhận kiến nghị {petition.reference}." in page.locator(".messages").inner_text()

    route = page.locator("#route")
    route.get_by_label("Cơ quan chủ trì").select_option(label="STC — Sở Tài chính")
    route.get_by_label("Ngày giao").fill("01/10/2020")
    route.get_by_role("button", name="Lưu phân công").click()
    assert "Đã lưu phân công xử lý." in page.locator(".messages").inner_text()
    assert "hạn: 22/10/2020 — 15 ngày làm việc kể từ 01/10/2020" in page.locator("#due").inner_text()
    public_url = page.locator("#public-url").inner_text()
    page.get_by_role("button", name="Đăng xuất").click()

    login(page, base, "stc")
    page.goto(f"{base}/petitions/")
    page.get_by_role("link", name=petition.reference).click()
    answer = page.locator("#give-answer")
    answer.get_by_label("Nội dung trả lời").fill("Sở Tài chính đã làm việc với UBND thành phố; bàn giao mặt bằng trước 15/10.")
    answer.get_by_label("Ngày trả lời").fill("05/10/2020")
    answer.get_by_role("button", name="Ghi nhận trả lời").click()
    assert "Đã ghi nhận trả lời." in page.locator(".messages").inner_text()
    page.locator("#publish").get_by_role("button", name="Công khai").click()
    assert "Đã công khai trả lời trên trang tra cứu." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto(public_url)
    assert page.locator("#status").inner_text() == "Đã công khai trả lời"
    assert page.locator("#agency").inner_text() == Agency.objects.get(code="STC").name
    assert page.locator("#deadline").inner_text() == "22/10/2020"
    assert "bàn giao mặt bằng trước 15/10" in page.locator("#answer").inner_text()
    body = page.content()
    assert "0912 000 111" not in body and "Hoàng Liên" not in body
    petition.refresh_from_db()
    assert petition.state == State.PUBLISHED and petition.answered_by_agency.code == "STC"
