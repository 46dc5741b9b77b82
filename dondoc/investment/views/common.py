"""Request parsing and the view permission shared by the investment screens."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.core import clock, params
from dondoc.domain.vn_numbers import parse_number


def as_of(request) -> dt.date:
    """``?as_of=`` (a message when it is not a date), else today."""
    value = request.GET.get("as_of", "").strip()
    if value:
        try:
            return params.parse_date(value)
        except ValueError:
            messages.error(request, _("\"%(value)s\" is not a date (dd/mm/yyyy).") % {"value": value})
    return clock.today()


def require_view(user) -> None:
    if not access.can(user, "investment.view"):
        raise Http404


def date_or_none(value: str):
    return params.optional_date(value)


def millions(value: str) -> int | None:
    """A form's amount in million đồng, as đồng; None when it is not a number."""
    try:
        number = parse_number(value)
    except (ValueError, TypeError):
        return None
    return None if number is None else int(number * 1_000_000)
