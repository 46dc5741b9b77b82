"""Upload → review → correct → confirm in real Chromium; then an officer reports progress on a task."""

import pytest
from django.core.management import call_command

from dondoc.programs.models import Task
from dondoc.programs.services import SEED

from .test_shell import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts(transactional_db):
    from dondoc.accounts import demo

    call_command("load_reference", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo.load(as_of=None)


def test_upload_review_confirm(page, live_server, demo_accounts):
    base = live_server.url
    login(page, base, "admin")
    page.goto(f"{base}/programs/")
    page.get_by_label("Văn bản chương trình").set_input_files(str(SEED))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_url("**/programs/review/**")
    assert page.locator("table.review tbody tr").count() == 65
    assert "07/CTr-UBND" in page.locator("dl.facts").inner_text()
    # The reviewer adds a coordinating agency to 1.1.1 and confirms.
    page.get_by_label("Phối hợp 1.1.1").fill("STC")
    page.get_by_role("button", name="Xác nhận và nạp").click()
    page.wait_for_url("**/programs/*/")
    assert "Đã nạp: 65 nhiệm vụ" in page.locator(".messages").inner_text()
    task = Task.objects.get(section="1.1", item="1")
    assert task.partner_labels == ["STC"]

    # The STC officer finds the task in the register and reports progress.
    page.get_by_role("button", name="Đăng xuất").click()
    login(page, base, "stc")
    page.goto(f"{base}/tasks/?section=1.1")
    page.get_by_role("link", name="1.1.1").click()
    page.get_by_label("Nội dung đã thực hiện").fill("Đã phối hợp tổng hợp kiến nghị của doanh nghiệp.")
    page.get_by_label("Tiến độ (%)").fill("40")
    page.get_by_role("button", name="Gửi", exact=True).click()
    assert "Đã gửi báo cáo tiến độ." in page.locator(".messages").inner_text()
    assert "Đã phối hợp tổng hợp kiến nghị" in page.locator("#assignment-{}".format(
        task.assignments.get(agency__code="STC").pk)).inner_text()
