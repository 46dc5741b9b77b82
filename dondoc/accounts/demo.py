"""Demo accounts (demo data only; production never runs this). Password "demo" for every account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import actions
from .models import Agency, Role

DEMO_PASSWORD = "demo"
DEMO_EMAIL_DOMAIN = "example.invalid"


@transaction.atomic
def load(*, actor=None, **_) -> list[str]:
    users = get_user_model().objects
    password = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 per user would take a minute
    created = 0

    def ensure(username: str, agency: Agency, role: str, **flags):
        nonlocal created
        user = users.filter(username=username).first()
        if user is None:
            user = actions.create_user(actor=actor, username=username, password_hash=password,
                                       email=f"{username}@{DEMO_EMAIL_DOMAIN}", **flags)
            created += 1
        actions.add_membership(actor=actor, user=user, agency=agency, role=role)

    agencies = list(Agency.objects.order_by("code"))
    for agency in agencies:
        if not agency.email:
            actions.update_agency(actor=actor, agency=agency, email=f"{agency.code.lower()}@{DEMO_EMAIL_DOMAIN}")
    by_code = {a.code: a for a in agencies}
    ensure("admin", by_code["SKHDT"], Role.PROVINCE_ADMIN, is_staff=True, is_superuser=True)
    ensure("lanhdao", by_code["UBND"], Role.LEADER)
    for agency in agencies:
        ensure(agency.code.lower(), agency, Role.AGENCY_OFFICER)
        ensure(f"{agency.code.lower()}_ld", agency, Role.AGENCY_HEAD)
    return [f"demo accounts: {created} created, {users.count()} in all (password: {DEMO_PASSWORD})"]
