"""Bounds on what a file may inflate to, checked before anything is parsed. Pure Python (stdlib ``zipfile``).

A 1 MB .xlsx can hold 1 GB of XML, and an 875 KB one a million rows: the compressed size says nothing. So
zip-based files (.xlsx/.xlsm/.xlsb, .ods, .docx) are inspected first — the zip directory (members, inflated
sizes, compression ratio), then the sheet or document XML streamed in chunks (constant memory) to count rows,
cells and paragraphs — and refused with ``LimitExceeded`` (what, limit, the file's figure) beyond ``Limits``.
Readers then enforce the same limits while reading (rows, paragraphs, time) through ``Budget``.

The limits' values live in the settings (``DONDOC_IMPORT_LIMITS``, read by ``dondoc.importers.limits``);
the defaults here are those of a plain install.
"""

from __future__ import annotations

import re
import time
import zipfile
from dataclasses import dataclass, replace
from typing import IO

MB = 1024 * 1024
CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    inflated_bytes: int = 200 * MB  # sum of the zip members' uncompressed sizes
    member_bytes: int = 200 * MB  # one member, uncompressed
    ratio: int = 200  # uncompressed / compressed, for members above RATIO_FLOOR
    members: int = 2_000  # entries in the zip directory
    rows: int = 100_000  # rows of the sheet read (or lines of a CSV)
    cells: int = 5_000_000  # rows × columns of the sheet's used range
    paragraphs: int = 20_000  # paragraphs of a document (or lines of its text)
    text_bytes: int = 20 * MB  # text a converter (pdftotext) may output
    seconds: float = 120.0  # time budget of one parse

    def but(self, **changes) -> Limits:
        return replace(self, **changes)


RATIO_FLOOR = 1 * MB  # small members (styles, shared strings of a tiny file) may compress very well


class LimitExceeded(ValueError):
    """The file goes beyond a limit. ``what``: inflated_bytes, member_bytes, ratio, members, rows, cells,
    paragraphs, text_bytes, seconds (the ``Limits`` field); ``limit`` and ``figure`` (the file's, or a lower
    bound of it when reading stopped early)."""

    def __init__(self, what: str, limit, figure):
        self.what, self.limit, self.figure = what, limit, figure
        super().__init__(f"{what}: {figure} is beyond the limit of {limit}")


class Budget:
    """A time budget started now: ``check()`` raises LimitExceeded("seconds") once it is spent. Not business time:
    a monotonic stopwatch."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.until = time.monotonic() + seconds

    def check(self) -> None:
        now = time.monotonic()
        if now >= self.until:
            raise LimitExceeded("seconds", self.seconds, round(self.seconds + now - self.until, 1))


# --- zip directory --------------------------------------------------------------------------------------
def inspect_zip(source: str | IO[bytes], limits: Limits) -> zipfile.ZipFile:
    """Open a zip and check its directory: members, per-member and total inflated size, compression ratio.
    Raises LimitExceeded, or zipfile.BadZipFile for what is not a zip. The caller closes the returned ZipFile."""
    book = zipfile.ZipFile(source)
    try:
        infos = book.infolist()
        if len(infos) > limits.members:
            raise LimitExceeded("members", limits.members, len(infos))
        total = 0
        for info in infos:
            if info.file_size > limits.member_bytes:
                raise LimitExceeded("member_bytes", limits.member_bytes, info.file_size)
            if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
                raise LimitExceeded("ratio", limits.ratio, info.file_size // max(info.compress_size, 1))
            total += info.file_size
        if total > limits.inflated_bytes:
            raise LimitExceeded("inflated_bytes", limits.inflated_bytes, total)
    except BaseException:
        book.close()
        raise
    return book


def _chunks(book: zipfile.ZipFile, name: str, cap: int):
    """The member's bytes in chunks with an overlap of 64 bytes (so a tag cut in two is seen once whole);
    stops at ``cap`` inflated bytes (the directory may lie about sizes): LimitExceeded("member_bytes")."""
    read = 0
    tail = b""
    with book.open(name) as member:
        while True:
            chunk = member.read(CHUNK)
            if not chunk:
                return
            read += len(chunk)
            if read > cap:
                raise LimitExceeded("member_bytes", cap, read)
            yield tail, chunk
            tail = chunk[-64:]


_LAST_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
# Cell references by the length of their column letters (a row's r= starts with a digit).
_WIDE_COLUMN = re.compile(rb" r=\"([A-Z]{2,3})[0-9]")
_BEYOND = [re.compile(rb" r=\"([%c-Z])[0-9]" % (65 + known)) for known in range(26)]  # one letter past a column
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _widest(xml: bytes, known: int) -> int:
    """The highest column number among the cell references in ``xml`` and ``known`` (the widest so far): only
    references beyond ``known`` are collected, so that a narrow sheet costs two searches a chunk, not a match
    per cell."""
    if _WIDE_COLUMN.search(xml):
        return max(known, max(_column_number(letters) for letters in set(_WIDE_COLUMN.findall(xml))))
    if known >= 26:
        return known
    found = set(_BEYOND[known].findall(xml))
    return max(known, max(ord(letter) - 64 for letter in found)) if found else known


def xlsx_extent(book: zipfile.ZipFile, limits: Limits) -> tuple[int, int]:
    """(rows, columns) of the largest worksheet's used range, from the cell references of its XML, streamed
    to the end (so that the refusal gives the file's real figure); a reader materialises rows × columns cells.
    Raises LimitExceeded("rows"|"cells")."""
    extent = (0, 0)
    for name in book.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        max_row = rows = max_col = 0
        for tail, chunk in _chunks(book, name, limits.member_bytes):
            both = tail + chunk
            counted = both.count(b"<row") - tail.count(b"<row")  # (<rowBreaks>, once a sheet, counts too)
            if counted:  # the common writers: no namespace prefix, counted at C speed
                rows += counted
            else:
                rows += len(_ROW_TAG.findall(both)) - len(_ROW_TAG.findall(tail))
            last = both.rfind(b"<row ")  # rows come in order: the last one says most
            found = _LAST_ROW.search(both, last) if last >= 0 else None
            if found is None:  # a namespace prefix (<x:row …>): the slow way
                for found in _LAST_ROW.finditer(both):  # noqa: B007 - the last match is wanted
                    pass
            if found is not None:
                max_row = max(max_row, int(found.group(1)))
            max_col = _widest(both, max_col)
        height = max(max_row, rows)
        if height > limits.rows:
            raise LimitExceeded("rows", limits.rows, height)
        if height * max(max_col, 1) > limits.cells:
            raise LimitExceeded("cells", limits.cells, height * max(max_col, 1))
        extent = max(extent, (height, max_col))
    return extent


def count_tags(book: zipfile.ZipFile, name: str, tag: re.Pattern, what: str, limit: int, cap: int) -> int:
    """Occurrences of ``tag`` in a member, streamed; LimitExceeded(what) beyond ``limit``."""
    count = 0
    for tail, chunk in _chunks(book, name, cap):
        count += len(tag.findall(tail + chunk)) - len(tag.findall(tail))
        if count > limit:
            raise LimitExceeded(what, limit, count)
    return count


ODS_ROW = re.compile(rb"<table:table-row[\s>/]")
ODS_CELL = re.compile(rb"<table:table-cell[\s>/]")
DOCX_PARAGRAPH = re.compile(rb"<w:p[\s>/]")


def check_sheet_zip(source: str | IO[bytes], suffix: str, limits: Limits) -> None:
    """The checks of a zip-based workbook (.xlsx/.xlsm, .xlsb, .ods) before a reader loads it."""
    with inspect_zip(source, limits) as book:
        if suffix in (".xlsx", ".xlsm"):
            xlsx_extent(book, limits)
        elif suffix == ".ods" and "content.xml" in book.namelist():
            count_tags(book, "content.xml", ODS_ROW, "rows", limits.rows, limits.member_bytes)
            count_tags(book, "content.xml", ODS_CELL, "cells", limits.cells, limits.member_bytes)


def check_docx(source: str | IO[bytes], limits: Limits) -> None:
    """The checks of a .docx before python-docx parses it: the zip directory, then its paragraphs."""
    with inspect_zip(source, limits) as book:
        if "word/document.xml" in book.namelist():
            count_tags(book, "word/document.xml", DOCX_PARAGRAPH, "paragraphs", limits.paragraphs,
                       limits.member_bytes)

