"""Form fields that read what people type the Vietnamese way, through the one parser of each kind."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from dondoc.domain import vn_dates


class DateField(forms.DateField):
    """dd/mm/yyyy (d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or yyyy-mm-dd, read by ``dondoc.domain.vn_dates`` in every
    UI language (Django's own input formats depend on the active locale)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return vn_dates.parse_date(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
