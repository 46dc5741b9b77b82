"""An officer fills the report, the head submits it, the DPI returns it, the officer corrects, the head resubmits."""

import pytest
from django.core.management import call_command

from dondoc.reporting.models import Report

from .test_shell import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db, settings):
    from dondoc.accounts import demo
    from dondoc.core import clock
    from dondoc.programs import actions
    from dondoc.programs.services import SEED, parse_path

    settings.DONDOC_TODAY = "2020-09-20"
    call_command("load_reference", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo.load(as_of=None)
    actions.load_program(actor=None, parsed=parse_path(SEED), source_name="seed", at=clock.now())


def test_report_round_trip(page, live_server, world):
    base = live_server.url
    login(page, base, "stc")
    page.goto(f"{base}/reports/")
    page.get_by_role("button", name="Báo cáo của Sở Tài chính kỳ 09/2020").click()
    page.get_by_label("Nội dung đã thực hiện 1.2.1").fill("Đã hướng dẫn doanh nghiệp gia hạn nộp thuế.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    assert "Đã lưu bản nháp." in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="Gửi Sở KH&ĐT").count() == 0  # the officer prepares; the head submits
    url = page.url

    page.get_by_role("button", name="Đăng xuất").click()
    login(page, base, "stc_ld")
    page.goto(url)
    page.get_by_role("button", name="Gửi Sở KH&ĐT").click()
    assert "Đã gửi báo cáo tới Sở KH&ĐT." in page.locator(".messages").inner_text()

    page.get_by_role("button", name="Đăng xuất").click()
    login(page, base, "admin")
    page.goto(url)
    page.get_by_label("Lý do trả lại").fill("Đề nghị bổ sung số liệu cụ thể.")
    page.get_by_role("button", name="Trả lại để hoàn thiện").click()
    assert "Đề nghị bổ sung số liệu cụ thể." in page.locator("dl.facts").inner_text()

    page.get_by_role("button", name="Đăng xuất").click()
    login(page, base, "stc")
    page.goto(url)
    page.get_by_label("Nội dung đã thực hiện 1.2.1").fill("Đã gia hạn nộp thuế cho 125 doanh nghiệp.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    assert "Đã lưu bản nháp." in page.locator(".messages").inner_text()  # saved before signing out
    assert page.get_by_label("Nội dung đã thực hiện 1.2.1").input_value() == "Đã gia hạn nộp thuế cho 125 doanh nghiệp."
    page.get_by_role("button", name="Đăng xuất").click()
    login(page, base, "stc_ld")
    page.goto(url)
    assert page.get_by_label("Nội dung đã thực hiện 1.2.1").input_value() == "Đã gia hạn nộp thuế cho 125 doanh nghiệp."
    page.get_by_role("button", name="Gửi Sở KH&ĐT").click()
    assert "Đã gửi báo cáo tới Sở KH&ĐT." in page.locator(".messages").inner_text()
    report = Report.objects.get(agency__code="STC")
    assert report.state == "resubmitted" and report.versions.count() == 2
    assert report.versions.get(number=2).content["tasks"][0]["done"] == "Đã gia hạn nộp thuế cho 125 doanh nghiệp."
