import datetime as dt

import pytest

from dondoc.accounts.models import Agency
from dondoc.deadlines import actions
from dondoc.deadlines.models import DossierType


@pytest.fixture
def make_dossier(reference):
    """make_dossier("TĐ-1", received=date, agency="STC", type="appraisal", pause=(on, resumed), completed=date)."""

    def make(ref, *, received, agency="STC", type="appraisal", pause=None, completed=None, actor=None, subject=None):
        d = actions.create_dossier(
            actor=actor, type=DossierType.objects.get(code=type), agency=Agency.objects.get(code=agency),
            reference=ref, subject=subject or f"Hồ sơ {ref}", received_on=received,
        )
        if pause:
            actions.pause_dossier(actor=actor, dossier=d, on=pause[0])
            if pause[1]:
                actions.resume_dossier(actor=actor, dossier=d, on=pause[1])
        if completed:
            actions.complete_dossier(actor=actor, dossier=d, on=completed)
        d.refresh_from_db()
        return d

    return make


D = dt.date


@pytest.fixture
def english():
    """Messages in English, so assertions on them do not depend on the catalogue."""
    from django.utils import translation

    with translation.override("en"):
        yield
