"""Templates show dates through the one formatter: dd/mm/yyyy in the local day, "" for nothing."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("value", "text"), [
    (dt.date(2020, 10, 5), "05/10/2020"),
    (dt.datetime(2020, 10, 4, 23, 0, tzinfo=dt.UTC), "05/10/2020"),  # 06:00 on 05/10 in Hà Nội
    (None, "—"), ("", "—"), ("05/10/2020", "—"),  # not a date: nothing, as Django's |date does
])
def test_vn_date(language, value, text):
    with translation.override(language):
        assert Template('{{ v|vn_date|default:"—" }}').render(Context({"v": value})) == text
