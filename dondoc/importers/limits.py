"""The bounds of a parse for each kind of file, from the settings (``DONDOC_IMPORT_LIMITS``), and the one
Vietnamese sentence that names a limit a file went beyond and the file's figure."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from dondoc.domain.bounds import LimitExceeded, Limits
from dondoc.domain.formats import format_number

KINDS = ("default", "dossiers", "plans", "disbursements", "program")

__all__ = ["KINDS", "LimitExceeded", "Limits", "describe", "limits_for"]


def limits_for(kind: str = "default") -> Limits:
    """The limits of ``kind`` (a key of ``DONDOC_IMPORT_LIMITS``): its values over the defaults'."""
    table = getattr(settings, "DONDOC_IMPORT_LIMITS", {})
    return Limits(**{**table.get("default", {}), **table.get(kind, {})})


def _mb(n) -> str:
    mb = n / (1024 * 1024)
    return format_number(mb, 0 if mb >= 10 else 1)


def describe(exc: LimitExceeded) -> str:
    """What the file goes beyond, with the limit and the file's figure, for people."""
    what, limit, figure = exc.what, exc.limit, exc.figure
    if what == "inflated_bytes":
        return _("once decompressed the file takes %(figure)s MB, beyond the limit of %(limit)s MB") % {
            "figure": _mb(figure), "limit": _mb(limit)}
    if what == "member_bytes":
        return _("a part of the file takes %(figure)s MB once decompressed, beyond the limit of %(limit)s MB") % {
            "figure": _mb(figure), "limit": _mb(limit)}
    if what == "ratio":
        return _("a part of the file is compressed %(figure)s times, beyond the limit of %(limit)s times "
                 "(a decompression bomb?)") % {"figure": format_number(figure), "limit": format_number(limit)}
    if what == "members":
        return _("the file holds %(figure)s parts, beyond the limit of %(limit)s") % {
            "figure": format_number(figure), "limit": format_number(limit)}
    if what == "rows":
        return _("the sheet has at least %(figure)s rows, beyond the limit of %(limit)s rows for this kind of "
                 "file; split the file") % {"figure": format_number(figure), "limit": format_number(limit)}
    if what == "cells":
        return _("the sheet's used range holds %(figure)s cells (rows × columns), beyond the limit of %(limit)s; "
                 "delete the empty rows and columns or split the file") % {
            "figure": format_number(figure), "limit": format_number(limit)}
    if what == "paragraphs":
        return _("the document has at least %(figure)s paragraphs, beyond the limit of %(limit)s") % {
            "figure": format_number(figure), "limit": format_number(limit)}
    if what == "text_bytes":
        return _("the document's text takes more than %(limit)s MB, beyond the limit") % {"limit": _mb(limit)}
    if what == "seconds":
        return _("reading the file took longer than the limit of %(limit)s seconds; split the file") % {
            "limit": format_number(limit)}
    return str(exc)
