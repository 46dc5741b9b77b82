import datetime as dt

import pytest

from dondoc.reporting.models import Obligation


@pytest.fixture
def obligation(seed):
    return Obligation.objects.get(program=seed.program, every="month")


@pytest.fixture
def at(settings):
    """at("2020-09-20") pins the product's clock."""

    def pin(day: str) -> dt.date:
        settings.DONDOC_TODAY = day
        return dt.date.fromisoformat(day)

    return pin
