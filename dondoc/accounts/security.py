"""Sign-in security: the client address behind the proxy, and the audit of logins, failures and lockouts.

django-axes (settings.AXES_*) counts failures per user name and address and locks after AXES_FAILURE_LIMIT;
Django's auth signals and axes' ``user_locked_out`` are recorded here as AuditEvents. The password is never
stored: only the user name tried and the address. These receivers are adapters at the edge of the product, so
they stamp events with the real time (security, not business time)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from dondoc.core import audit


def client_ip(request) -> str | None:
    """The browser's address. Behind our nginx (DONDOC_BEHIND_PROXY=1) it is the last X-Forwarded-For entry,
    the one nginx appended; anything before it was written by the client and is not trusted."""
    meta = getattr(request, "META", {})
    if getattr(settings, "DONDOC_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1][:45]
    return meta.get("REMOTE_ADDR")


def _record(kind: str, *, actor=None, username: str = "", request=None) -> None:
    with transaction.atomic():
        audit.record(actor=actor, kind=kind, target=actor, at=timezone.localtime(),
                     new={"username": (username or "")[:150], "ip": client_ip(request) if request else None})


@receiver(user_logged_in, dispatch_uid="dondoc.auth.login")
def _logged_in(sender, request, user, **kwargs):
    _record("auth.login", actor=user, username=user.get_username(), request=request)


@receiver(user_logged_out, dispatch_uid="dondoc.auth.logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        _record("auth.logout", actor=user, username=user.get_username(), request=request)


@receiver(user_login_failed, dispatch_uid="dondoc.auth.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    _record("auth.login_failed", username=credentials.get("username", ""), request=request)


@receiver(user_locked_out, dispatch_uid="dondoc.auth.lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    _record("auth.lockout", username=username or "", request=request)
