"""Content-Security-Policy: every page carries it, and no template holds what it would block."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import dondoc

TEMPLATES = sorted(Path(dondoc.__file__).parent.rglob("templates/**/*.html"))
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* handler"),
    (re.compile(r"\bhx-on", re.I), "hx-on handler (eval)"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_holds_inline_script_or_style():
    found = [f"{path.relative_to(Path(dondoc.__file__).parent)}: {what}"
             for path in TEMPLATES for pattern, what in INLINE if pattern.search(path.read_text(encoding="utf-8"))]
    assert TEMPLATES and not found, "\n".join(found)


@pytest.mark.django_db
def test_pages_carry_the_policy(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "form-action 'self'", "img-src 'self' data:"):
        assert directive in policy
    assert "unsafe" not in policy
