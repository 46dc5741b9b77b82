"""Reading a program document with the registry in the database and the outside converters (LibreOffice,
pdftotext) of ``documents.convert``: the adapter around the pure parser."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import DatabaseError

from dondoc.accounts import reference
from dondoc.documents import convert
from dondoc.domain.agencies import Registry
from dondoc.domain.program_parser import parse_file
from dondoc.domain.program_reader import Converters, ParseError

ALLOWED_SUFFIXES = {".txt", ".docx", ".doc", ".html", ".htm", ".pdf"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SEED = Path(__file__).resolve().parent.parent / "fixtures" / "07-CTr-UBND-2020.txt"
CONVERTERS = Converters(office_to_docx=convert.office_to_docx, pdf_pages=convert.pdf_pages)

__all__ = ["ALLOWED_SUFFIXES", "MAX_UPLOAD_BYTES", "SEED", "ParseError", "parse_path", "parse_upload"]


def registry() -> Registry:
    """The registry in the database; the shipped reference data before `migrate`/`load_reference` ran."""
    try:
        found = reference.registry_from_db()
    except DatabaseError:
        found = None
    return found if found and found.entries else Registry.from_reference(reference.read())


def parse_path(path: str | Path) -> dict:
    return parse_file(path, registry(), CONVERTERS)


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
        return parse_path(tmp.name)
