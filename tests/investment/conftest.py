"""Files the tests build (csv, xlsx with merged headers, ods) and a small register of investors and projects."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

from dondoc.accounts.models import Agency
from dondoc.investment.models import Assigner, Investor, PlanLine, Project, Source

from ..layers import shared

D = dt.date
MILLION = 1_000_000


def write_csv(path: Path, rows: list[list], delimiter: str = ",", bom: bool = False) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value not in (None, ""):
                ws.cell(row=r, column=c, value=value)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def write_ods(path: Path, rows: list[list]) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice writes, without styles)."""
    def cell(v):
        if v in (None, ""):
            return "<table:table-cell/>"
        if isinstance(v, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Sheet1">' + body +
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return path


def make_project(code: str, investor: Investor, *, plan: int = 0, extended: int = 0, ttg: int = 0,
                 source: str = Source.NSDP, year: int = 2020, name: str = "") -> Project:
    project = Project.objects.create(code=code, name=name or f"Dự án {code}", investor=investor)
    if plan:
        PlanLine.objects.create(project=project, source=source, year=year, origin_year=year, assigner=Assigner.TINH,
                                amount=plan)
    if extended:
        PlanLine.objects.create(project=project, source=source, year=year, origin_year=year - 1,
                                assigner=Assigner.TINH, amount=extended)
    if ttg:
        PlanLine.objects.create(project=project, source=Source.NSTW, year=year, origin_year=year,
                                assigner=Assigner.TTG, amount=ttg)
    return project


@shared
def demo_db(reference):
    """The demo data set: the demo accounts, the seed program and the investment demo."""
    from dondoc.accounts import demo as accounts_demo
    from dondoc.investment import demo
    from dondoc.programs import demo as programs_demo

    accounts_demo.load(as_of=None)
    programs_demo.load(as_of=None)
    demo.load(as_of=None)


@shared
def register(reference):
    """Two investors: one rolling up to STC (the personas' own agency), one to KBNN (the other agency)."""
    own = Investor.objects.create(name="Ban QLDA Sở Tài chính", agency=Agency.objects.get(code="STC"))
    other = Investor.objects.create(name="Ban QLDA Kho bạc", agency=Agency.objects.get(code="KBNN"))
    p1 = make_project("7810657", own, plan=1000 * MILLION, extended=200 * MILLION, ttg=600 * MILLION)
    p2 = make_project("7810658", own, plan=500 * MILLION)
    p3 = make_project("7900001", other, plan=2000 * MILLION)
    return {"own": own, "other": other, "p1": p1, "p2": p2, "p3": p3}


@shared
def rules2020(db):
    from dondoc.investment.models import Rule, RuleSet

    rs = RuleSet.objects.create(year=2020)
    Rule.objects.create(ruleset=rs, kind="milestone", capital="extended", op=">=", percent=100, due_on=D(2020, 8, 31),
                        literal="đến hết tháng 8/2020", task="2.1.b")
    Rule.objects.create(ruleset=rs, kind="milestone", capital="current", op=">", percent=80, due_on=D(2020, 9, 30),
                        literal="trên 80%KH trước ngày 30/9/2020", task="2.1.b")
    Rule.objects.create(ruleset=rs, kind="milestone", capital="current", op=">=", percent=100,
                        due_on=D(2020, 12, 31), literal="100% KH vốn trước ngày 31/12/2020", task="2.1.b")
    Rule.objects.create(ruleset=rs, kind="cut", capital="current", op="<", percent=60, due_on=D(2020, 9, 30),
                        literal="dưới 60%KH vốn", task="2.3.2")
    return rs


def pay(project, day, amount, extended=False, ref=None):
    """A published payment, with its monthly sum kept as the import's publish keeps it."""
    from dondoc.investment import summary
    from dondoc.investment.models import Disbursement, ImportBatch

    batch = ImportBatch.objects.get_or_create(kind="demo", file_name="test", file_hash="t")[0]
    after = summary.last_id()
    row = Disbursement.objects.create(project=project, paid_on=day, amount=amount, extended=extended,
                                      ref=ref or f"T{Disbursement.objects.count() + 1}", year=day.year, batch=batch)
    summary.add_batch(batch.pk, after)
    return row


@shared
def paid(register, rules2020):
    """As of 30/09/2020: STC's investor 900 of 1.500 (60%), KBNN's 1.000 of 2.000 (50%); p2 behind schedule."""
    from dondoc.investment.models import Commitment

    pay(register["p1"], D(2020, 5, 15), 700 * MILLION)
    pay(register["p1"], D(2020, 7, 1), 150 * MILLION, extended=True)
    pay(register["p2"], D(2020, 9, 30), 200 * MILLION)
    pay(register["p3"], D(2020, 6, 30), 1000 * MILLION)
    pay(register["p3"], D(2020, 10, 10), 300 * MILLION)  # after the date evaluated
    for month, amount in {3: 100, 6: 100, 9: 100, 12: 200}.items():
        Commitment.objects.create(project=register["p2"], year=2020, month=month, amount=amount * MILLION)
    return register
