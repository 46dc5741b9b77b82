"""Headless Chromium: an agency officer enters a dossier, pauses its clock and completes it.
Labels are the Vietnamese translations of the deadlines screens."""

import pytest
from django.core.management import call_command

from dondoc.accounts import demo as accounts_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accounts(transactional_db, settings):
    settings.DONDOC_TODAY = "2020-10-05"
    call_command("load_reference", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    accounts_demo.load()


def test_officer_enters_pauses_and_completes_a_dossier(page, live_server, accounts):
    base = live_server.url
    page.goto(f"{base}/deadlines/")
    page.get_by_label("Tên đăng nhập").fill("stc")
    page.get_by_label("Mật khẩu").fill("demo")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/deadlines/")
    assert page.get_by_text("5 ngày làm việc").first.is_visible()  # the rule says working days

    page.get_by_role("link", name="Nhập hồ sơ").click()
    page.get_by_label("Loại hồ sơ").select_option(label="Thẩm tra, thẩm định dự án")
    page.get_by_label("Số hồ sơ").fill("TĐ-STC-900/2020")
    page.get_by_label("Trích yếu").fill("Thẩm định dự án Cầu Phố Mới")
    page.get_by_label("Ngày nhận").fill("20/01/2020")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{base}/deadlines/*/")
    assert "hạn: 03/02/2020 — 05 ngày làm việc kể từ 20/01/2020" in page.locator("#due").inner_text()

    page.get_by_label("Ngày trả hồ sơ để bổ sung").fill("22/01/2020")
    page.get_by_role("button", name="Tạm dừng tính thời hạn").click()
    assert page.locator("#state").inner_text().startswith("tạm dừng")
    assert page.get_by_role("button", name="Tiếp tục tính thời hạn").is_visible()

    page.get_by_label("Ngày hoàn thành").fill("05/02/2020")
    page.get_by_role("button", name="Đánh dấu hoàn thành").click()
    assert page.locator("#state").inner_text() == "hoàn thành đúng hạn"
    assert page.locator("#completed").inner_text().startswith("05/02/2020")
    assert page.get_by_role("button", name="Đánh dấu hoàn thành").count() == 0
