import datetime as dt

import pytest

from dondoc.accounts.models import Agency, Role
from dondoc.core import clock
from dondoc.petitions import actions
from dondoc.petitions.models import PetitionCategory

D = dt.date
SEPT_1 = D(2020, 9, 1)


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Attachments go to a throwaway folder, never to var/."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}}}
    settings.DONDOC_TODAY = "2020-10-05"


@pytest.fixture
def coordinator(personas):
    """An officer of CT (Cục Thuế), the coordinating agency of the petitions made by ``make_petition``."""
    personas.coord = personas.make("t_ct", "CT", Role.AGENCY_OFFICER)
    return personas.coord


@pytest.fixture
def make_petition(personas):
    """make_petition(received=date, lead="STC", coordinators=("CT",), category="tax", routed=date, days=None)."""

    def make(subject="Đề nghị gia hạn nộp thuế thu nhập doanh nghiệp", *, received=SEPT_1, lead="STC",
             coordinators=("CT",), category="tax", routed=None, days=None, text=None, **fields):
        p = actions.intake(
            actor=personas.admin, received_on=received, channel="letter",
            category=PetitionCategory.objects.get(code=category), business_name="Công ty TNHH Kim Thành",
            tax_code="5300123456", contact_name="Nguyễn Văn Liên Hệ", contact_phone="0912 345 678",
            contact_email="lienhe@kimthanh.example.invalid", subject=subject,
            text=text or f"{subject}: doanh thu giảm 40% do dịch Covid-19.", notes="GHI-CHU-NOI-BO", **fields, at=clock.now(),
        )
        if lead:
            actions.route(actor=personas.admin, petition=p, lead=Agency.objects.get(code=lead),
                          coordinators=list(Agency.objects.filter(code__in=coordinators)), on=routed or received,
                          days=days, at=clock.now())
            p.refresh_from_db()
        return p

    return make
