"""Reading a program document with the registry in the database and the outside converters (LibreOffice,
pdftotext) of ``documents.convert``: the adapter around the pure parser."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from django.db import DatabaseError
from django.utils.translation import gettext as _

from dondoc.accounts import reference
from dondoc.accounts import registry as agency_registry
from dondoc.documents import convert
from dondoc.domain.agencies import Registry
from dondoc.domain.program_parser import parse_file
from dondoc.domain.program_reader import Converters, ParseError
from dondoc.importers.limits import LimitExceeded, describe, limits_for

ALLOWED_SUFFIXES = {".txt", ".docx", ".doc", ".html", ".htm", ".pdf"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SEED = Path(__file__).resolve().parent.parent / "fixtures" / "07-CTr-UBND-2020.txt"

__all__ = ["ALLOWED_SUFFIXES", "MAX_UPLOAD_BYTES", "SEED", "ParseError", "parse_path", "parse_upload",
           "require_tasks"]


def registry() -> Registry:
    """The registry in the database; the shipped reference data before `migrate`/`load_reference` ran."""
    try:
        found = agency_registry.registry_from_db()
    except DatabaseError:
        found = None
    return found if found and found.entries else Registry.from_reference(reference.read())


def converters(limits) -> Converters:
    return Converters(office_to_docx=functools.partial(convert.office_to_docx, limits=limits),
                      pdf_pages=functools.partial(convert.pdf_pages, limits=limits))


_REASONS = {
    "not_docx": lambda: _("it is not a valid .docx (Word) document"),
    "not_pdf": lambda: _("it is not a valid PDF file"),
    "not_doc": lambda: _("it is not a valid Word (.doc) document"),
    "empty": lambda: _("it holds no text"),
}


def parse_path(path: str | Path) -> dict:
    """Parse a program document within the "program" limits. Raises ParseError with a one-line reason in the
    active language for the common cases (not the format its name says, empty, beyond a limit)."""
    limits = limits_for("program")
    try:
        return parse_file(path, registry(), converters(limits), limits)
    except LimitExceeded as exc:
        raise ParseError(describe(exc), "limit") from exc
    except ParseError as exc:
        if exc.code in _REASONS:
            raise ParseError(_REASONS[exc.code](), exc.code) from exc
        raise


def require_tasks(parsed: dict) -> dict:
    """A program document read without a single task is the wrong file (or one this reader cannot follow)."""
    if not parsed.get("tasks"):
        raise ParseError(_("the document was read but no task was found in it (numbered items under "
                           "\"Nhiệm vụ\" / \"Giải pháp\"); check that this is the program document"), "no_tasks")
    return parsed


def parse_upload(uploaded) -> dict:
    """Parse an uploaded file (Django UploadedFile). Raises ParseError with a one-line reason."""
    suffix = Path(uploaded.name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ParseError(f"unsupported file type {suffix or '(none)'}")
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ParseError("file larger than 10 MB")
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in uploaded.chunks():
            tmp.write(chunk)
        tmp.flush()
        return require_tasks(parse_path(tmp.name))
