"""Stored uploads (attachments) checked by their content, not their name: one sniffer for every feature.

``check_upload(name, data, accept=...)`` returns the content type the bytes really are, or raises a
ValidationError in Vietnamese (empty file, too large, a type not accepted, bytes that are not what the name says,
markup or script hidden in a document). Imports have their own bounds (importers); this is for files that are
stored and served back to other users.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls (Compound File Binary)
# suffix -> (content type, main part content type of an OOXML package / mimetype entry of an ODF one)
TYPES: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b""),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    ".doc": ("application/msword", b""),
    ".xls": ("application/vnd.ms-excel", b""),
    ".odt": ("application/vnd.oasis.opendocument.text", b"application/vnd.oasis.opendocument.text"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", b"application/vnd.oasis.opendocument.spreadsheet"),
    ".jpg": ("image/jpeg", b""),
    ".jpeg": ("image/jpeg", b""),
    ".png": ("image/png", b""),
}
# What a browser would run if it ever rendered the file: refused anywhere near the start of any document.
MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|script|body|iframe|svg|object|embed)\b", re.IGNORECASE)
SNIFF_WINDOW = 4096
MAX_PART = MB  # the [Content_Types].xml / mimetype entries we read: small by nature (no zip bomb through them)


def describe(accept) -> str:
    return ", ".join(sorted(s.lstrip(".").upper() for s in accept))


def _zip_member(data: bytes, member: str) -> bytes | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = z.getinfo(member)
            if info.file_size > MAX_PART:
                return None
            return z.read(info)
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError, EOFError):
        return None  # damaged, encrypted or missing the part: not the type its name says, so the upload is refused


def _matches(suffix: str, data: bytes) -> bool:
    main = TYPES[suffix][1]
    if suffix == ".pdf":
        return data.startswith(b"%PDF-")
    if suffix == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if suffix in (".doc", ".xls"):
        return data.startswith(OLE)
    if suffix in (".docx", ".xlsx"):
        types = _zip_member(data, "[Content_Types].xml")
        return types is not None and main in types
    if suffix in (".odt", ".ods"):
        return (_zip_member(data, "mimetype") or b"").strip() == main
    return False


def check_upload(name: str, data: bytes, *, accept, max_size: int) -> str:
    """The content type of ``data`` if it is one of the ``accept``ed suffixes, really; ValidationError otherwise."""
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in accept or suffix not in TYPES:
        raise ValidationError(_("%(name)s: files of this type are not accepted (accepted: %(types)s).") % {
            "name": name, "types": describe(accept)})
    if not data:
        raise ValidationError(_("%(name)s is empty (0 bytes): choose the file again.") % {"name": name})
    if len(data) > max_size:
        raise ValidationError(_("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": max_size // MB})
    if not _matches(suffix, data):
        raise ValidationError(_("%(name)s is not a real %(type)s file (its content does not match its name): save it "
                                "again from the program that made it.") % {"name": name,
                                                                            "type": suffix.lstrip(".").upper()})
    if MARKUP.search(data[:SNIFF_WINDOW]):
        raise ValidationError(_("%(name)s contains web page code (HTML or script) and is refused.") % {"name": name})
    return TYPES[suffix][0]
