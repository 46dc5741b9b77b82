"""Form date fields read what people type through the one Vietnamese date parser, in both UI languages."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from dondoc.core.fields import DateField


class DayForm(forms.Form):
    day = DateField()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("typed", "day"), [
    ("05/02/2025", dt.date(2025, 2, 5)),  # 5 February, never 2 May
    ("5/2/2025", dt.date(2025, 2, 5)),
    ("05-02-2025", dt.date(2025, 2, 5)),
    ("2025-02-05", dt.date(2025, 2, 5)),
])
def test_date_field_reads_day_first(language, typed, day):
    with translation.override(language):
        form = DayForm({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == day


@pytest.mark.parametrize("typed", ["31/02/2025", "02/2025", "hôm qua", "45000"])
def test_date_field_refuses_what_is_not_a_date(typed):
    form = DayForm({"day": typed})
    assert not form.is_valid() and form.errors["day"][0] == DateField().error_messages["invalid"]


def test_date_field_empty_is_required_or_none():
    assert not DayForm({"day": ""}).is_valid()

    class Optional(forms.Form):
        day = DateField(required=False)

    form = Optional({"day": " "})
    assert form.is_valid() and form.cleaned_data["day"] is None
