"""The Content-Security-Policy holds in a real browser: the main pages load and work (htmx included) with no
violation reported, Django's admin included."""

import pytest

from .test_shell import demo, login  # noqa: F401 - the demo fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """document.addEventListener('securitypolicyviolation', e =>
  (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""


def _watch(page) -> list[str]:
    seen: list[str] = []
    page.add_init_script(WATCH)
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def _violations(page, seen: list[str]) -> list[str]:
    return seen + (page.evaluate("window.__csp || []") or [])


def test_main_pages_htmx_and_the_admin_run_under_the_policy(page, live_server, demo):  # noqa: F811
    import re

    from dondoc.petitions.models import Petition

    base = live_server.url
    seen = _watch(page)
    code = Petition.objects.exclude(tracking_code="").values_list("tracking_code", flat=True).first()
    response = page.goto(f"{base}/p/{code}/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert not _violations(page, seen), f"/p/{code}/"
    login(page, base, "stc")
    for path in ("/", "/tasks/", "/reports/", "/investment/", "/deadlines/", "/petitions/", "/agencies/STC/"):
        page.goto(f"{base}{path}")
        assert not _violations(page, seen), path
    page.goto(f"{base}/reports/")
    page.locator("form button", has_text="Báo cáo của Sở Tài chính").first.click()
    page.wait_for_load_state()
    assert "/reports/" in page.url
    assert not _violations(page, seen), page.url

    page.get_by_role("button", name="Đăng xuất").click()
    login(page, base, "admin")
    page.goto(f"{base}/audit/")
    page.get_by_label("Loại").select_option("membership.add")  # htmx swaps the results in place
    page.wait_for_url(re.compile(r"kind=membership\.add"))
    page.wait_for_function("() => document.querySelector('#results').innerText.includes('66 sự kiện')")
    assert not _violations(page, seen), "/audit/"
    page.goto(f"{base}/admin/accounts/agency/")
    page.get_by_role("link", name="STC").first.click()  # a change form: its scripts are files
    page.wait_for_load_state()
    assert not _violations(page, seen), page.url
