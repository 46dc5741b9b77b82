"""Identifiers in markup are never localised: with USE_THOUSAND_SEPARATOR, {{ 1234 }} renders "1.234", so a form
field "done-{{ assignment }}" became "done-1.234" once a province had a thousand assignments, and the report's text
was silently dropped on save (found by the browser suite, whose ids pass 999 after earlier tests)."""

import re
from pathlib import Path

from django.template import Context, Template

import dondoc

ATTRIBUTE = re.compile(r'=\s*"([^"]*)"')
VARIABLE = re.compile(r"\{\{\s*([^}|]+?)\s*\}\}")
IDENTIFIER = re.compile(r"(pk|\.id|_id|number|assignment|\.i|version|_page_number)$")


def test_numbers_that_identify_render_without_separators():
    rendered = Template('<input name="done-{{ n|unlocalize }}" value="{{ n }}">').render(Context({"n": 1234}))
    assert rendered == '<input name="done-1234" value="1.234">'


def test_no_template_puts_a_localised_identifier_in_an_attribute():
    offenders = []
    for path in Path(dondoc.__file__).parent.rglob("*.html"):
        for attribute in ATTRIBUTE.finditer(path.read_text()):
            offenders += [f"{path.name}: {e}" for e in VARIABLE.findall(attribute.group(1)) if IDENTIFIER.search(e)]
    assert not offenders, "add |unlocalize: " + ", ".join(offenders)
