"""Real headless Chromium against a live server: log in, see the home page, switch language, get 404s."""

import re

import pytest
from django.core.management import call_command

from ..snapshots import restore_or_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    restore_or_build("demo", lambda: call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w")))  # noqa: SIM115


def login(page, base, username, password="demo"):
    page.goto(f"{base}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def test_admin_logs_in_and_sees_the_home_page(page, live_server, demo):
    base = live_server.url
    page.goto(f"{base}/")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_role("alert").inner_text().startswith("Sai tên đăng nhập hoặc mật khẩu")
    login(page, base, "admin")
    count = page.locator('[data-count="agencies"] .value').inner_text()
    assert int(count) >= 32
    assert page.get_by_role("link", name="Nhật ký thay đổi").is_visible()
    page.get_by_role("link", name="Cơ quan", exact=True).click()
    page.get_by_placeholder("tên hoặc mã, gõ có dấu hoặc không dấu").fill("kho bac")
    page.get_by_role("button", name="Lọc").click()
    assert page.locator("table.grid tbody tr").count() == 1
    assert "Kho bạc Nhà nước tỉnh" in page.locator("table.grid").inner_text()
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("button", name="Tiếng Việt").is_visible()
    assert page.get_by_role("heading", name="Agencies").is_visible()


def test_agency_officer_sees_only_their_agency(page, live_server, demo):
    base = live_server.url
    login(page, base, "stc")
    assert page.get_by_role("link", name="Nhật ký thay đổi").count() == 0
    page.locator("#my-agency").get_by_role("link", name="Sở Tài chính").click()
    assert re.search(r"/agencies/STC/$", page.url)
    response = page.goto(f"{base}/agencies/KBNN/")
    assert response.status == 404
    response = page.goto(f"{base}/admin/")
    assert "/admin/login/" in page.url


def test_audit_filter_updates_in_place(page, live_server, demo):
    base = live_server.url
    login(page, base, "admin")
    page.goto(f"{base}/audit/")
    page.get_by_label("Loại").select_option("membership.add")
    page.wait_for_url(re.compile(r"kind=membership\.add"))
    page.wait_for_function("() => document.querySelector('#results').innerText.includes('66 sự kiện')")
    assert page.locator("#results tbody tr").count() == 50
