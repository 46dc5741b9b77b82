"""Import a Treasury file through the page: upload, the job runs in the background, the preview, confirm.

Uses the Vietnamese labels (dondoc/locale, with the investment msgids merged)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from dondoc.investment.models import Disbursement
from dondoc.jobs.models import Job

from ..investment.conftest import MILLION, make_project, write_csv
from .test_shell import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(transactional_db):
    from dondoc.accounts import demo
    from dondoc.accounts.models import Agency
    from dondoc.investment.models import Investor

    call_command("load_reference", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo.load(as_of=None)
    investor = Investor.objects.create(name="Sở Y tế", agency=Agency.objects.get(code="SYT"))
    make_project("7810657", investor, plan=1000 * MILLION)
    make_project("7810658", investor, plan=500 * MILLION)


def test_import_disbursements_through_the_page(page, live_server, register, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    path = write_csv(tmp_path / "kho-bac.csv", [
        ["KHO BẠC NHÀ NƯỚC TỈNH LÀO CAI"], ["Đơn vị: triệu đồng"],
        ["STT", "Mã dự án", "Ngày thanh toán", "Số chứng từ", "Số tiền"],
        ["1", "7810657", "15/09/2020", "CT-01", "1.234,5"],
        ["2", "7810658", "16/09/2020", "CT-02", "200"]], delimiter=";", bom=True)
    base = live_server.url
    login(page, base, "admin")
    page.goto(f"{base}/investment/import/")
    page.get_by_label("Tệp (.xlsx, .xls, .ods, .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.wait_for_url("**/investment/import/*/")
    # The job runs after the request returned; the page polls until the preview is there.
    expect(page.locator("#job-status")).to_have_attribute("data-state", "preview", timeout=20000)
    expect(page.locator("#preview")).to_contain_text("7810657")
    expect(page.locator("#preview")).to_contain_text("1.234,5")
    assert page.locator("[data-key=created]").inner_text() == "2"
    assert Disbursement.objects.count() == 0
    page.get_by_role("button", name="Nhập", exact=True).click()
    expect(page.locator("#job-status")).to_have_attribute("data-state", "done", timeout=20000)
    assert sorted(Disbursement.objects.values_list("ref", "amount")) == [("CT-01", 1_234_500_000),
                                                                        ("CT-02", 200 * MILLION)]
    assert Job.objects.filter(kind="investment.disbursements", state="done").count() == 1
    page.goto(f"{base}/investment/?as_of=30/09/2020")
    expect(page.locator('[data-rate="province"]')).to_have_text("95,63%")  # 1.434,5 of 1.500
