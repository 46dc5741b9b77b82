"""Sign-in throttling (django-axes) and the audit of logins, failures, lockouts and logouts."""

import pytest
from django.urls import reverse

from dondoc.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(personas, client):
    for _ in range(5):
        assert _login(client, "t_stc", "wrong").status_code in (200, 429)
    response = _login(client, "t_stc", personas.password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Vui lòng thử lại sau 15 phút" in response.content.decode()
    kinds = list(AuditEvent.objects.filter(kind__startswith="auth.").values_list("kind", flat=True))
    assert kinds.count("auth.login_failed") >= 5 and "auth.lockout" in kinds and "auth.login" not in kinds


def test_the_lock_is_per_user_name_and_address(personas, client):
    for _ in range(5):
        _login(client, "t_stc", "wrong")
    assert _login(client, "t_stc_ld", personas.password).status_code == 302  # another user, same address
    assert _login(client, "t_stc", personas.password, ip="10.0.0.8").status_code == 302  # same user elsewhere


def test_a_success_is_audited_with_the_address_and_no_password(personas, client):
    assert _login(client, "t_stc", personas.password).status_code == 302
    event = AuditEvent.objects.get(kind="auth.login")
    assert event.actor == personas.officer
    assert event.new == {"username": "t_stc", "ip": "10.0.0.7"}
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(kind="auth.logout", actor=personas.officer).exists()


def test_a_failure_stores_the_name_tried_never_the_password(personas, client):
    _login(client, "nobody", "S3cret-guess")
    event = AuditEvent.objects.get(kind="auth.login_failed")
    assert event.new == {"username": "nobody", "ip": "10.0.0.7"} and event.actor is None
    assert not AuditEvent.objects.filter(new__icontains="S3cret").exists()


def test_behind_the_proxy_the_address_is_the_one_nginx_appended(settings, rf):
    from dondoc.accounts.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "127.0.0.1"
    settings.DONDOC_BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.9"
