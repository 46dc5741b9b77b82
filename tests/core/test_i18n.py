import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

PO = settings.LOCALE_PATHS[0] / "vi" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_compiled():
    with open(PO, "rb") as f:
        po = read_po(f)
    with open(PO.with_suffix(".mo"), "rb") as f:
        mo = read_mo(f)
    untranslated = [m.id for m in po if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert untranslated == []

    def key(m):
        context = m.context.decode() if isinstance(m.context, bytes) else m.context  # read_mo gives bytes
        return (context, m.id[0] if isinstance(m.id, tuple | list) else m.id)

    def text(m):
        return tuple(m.string) if isinstance(m.string, list | tuple) else m.string

    compiled = {key(m): text(m) for m in mo if m.id}
    stale = [m.id for m in po if m.id and compiled.get(key(m)) != text(m)]
    assert stale == [], "run `make messages` to recompile the catalogue"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_numbers_and_dates_print_the_vietnamese_way(lang):
    import datetime as dt
    from decimal import Decimal

    with translation.override(lang):
        out = Template("{% load l10n %}{{ d|date:'SHORT_DATE_FORMAT' }} {{ n }} {{ x }}").render(
            Context({"d": dt.date(2020, 2, 5), "n": 1234567, "x": Decimal("1234567.8")}))
    assert out == "05/02/2020 1.234.567 1.234.567,8"


def test_dates_are_read_day_first():
    from django import forms

    with translation.override("vi"):
        assert str(forms.DateField().clean("05/02/2025")) == "2025-02-05"


@pytest.mark.django_db
def test_the_ui_is_vietnamese_by_default_and_english_on_request(client):
    assert "Đăng nhập" in client.get("/accounts/login/").text
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").text
    assert "Log in to dondoc" in page and "Đăng nhập dondoc" not in page
