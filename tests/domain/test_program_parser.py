"""Program parser: the seed program 07/CTr-UBND, its .docx/NFD/encoding/HTML/PDF copies, prose directives,
legacy encodings and unreadable input. No database; copies of the seed are built into tmp_path."""

from __future__ import annotations

import html
import json
import shutil
import textwrap
import unicodedata
from collections import Counter
from pathlib import Path

import docx
import pytest

import dondoc
from dondoc.documents import convert
from dondoc.domain.agencies import Registry
from dondoc.domain.legacy_encodings import (
    decode_bytes,
    decode_tcvn3,
    decode_vni,
    detect_legacy,
    encode_tcvn3,
    encode_vni,
    to_unicode,
)
from dondoc.domain.program_dates import extract_schedule, find_dates
from dondoc.domain.program_parser import Converters, ParseError, parse_file, parse_text

PACKAGE = Path(dondoc.__file__).parent
REPO = PACKAGE.parent
SEED_NAME = "000_6fc47d815985a4e8.txt"
CONVERTERS = Converters(office_to_docx=convert.office_to_docx, pdf_pages=convert.pdf_pages)  # as the adapter
SEED_CANDIDATES = [PACKAGE / "fixtures" / "07-CTr-UBND-2020.txt", REPO / "shared" / "seeds" / SEED_NAME,
                   REPO.parent / "shared" / "seeds" / SEED_NAME]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.from_reference(json.loads((PACKAGE / "reference" / "laocai_2020.json").read_text("utf-8")))


@pytest.fixture(scope="module")
def seed_path() -> Path:
    for path in SEED_CANDIDATES:
        if path.exists():
            return path
    pytest.skip(f"seed document {SEED_NAME} not found")


@pytest.fixture(scope="module")
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text("utf-8")


@pytest.fixture(scope="module")
def seed(seed_path: Path, registry: Registry) -> dict:
    return parse_file(seed_path, registry)


def task(result: dict, section: str, item: str) -> dict:
    return next(t for t in result["tasks"] if t["section"] == section and t["item"] == item)


# --- the seed -----------------------------------------------------------------------------------------
SECTION_COUNTS = {
    "1.1": 2, "1.2": 2, "1.3": 2, "1.4": 3, "1.5": 8, "1.6": 6, "1.7": 2, "1.8": 6, "1.9": 5,
    "2.1": 11, "2.2": 1, "2.3": 5,
    "3.1": 2, "3.2": 2, "3.3": 3, "3.4": 2, "3.5": 2, "3.6": 1,
}
SECTION_LEADS = {
    "1.1": ["SKHDT"], "1.2": ["STC"], "1.3": ["CT"], "1.4": ["NHNN"], "1.5": ["SCT"], "1.6": ["SNN"],
    "1.7": ["SGTVTXD"], "1.8": ["SVHTTDL"], "1.9": ["@SBN", "@HUYEN"], "2.1": ["@SBN", "@HUYEN"], "2.2": ["KBNN"],
    "2.3": ["SKHDT", "STC"], "3.1": ["SYT"], "3.2": ["SGDDT"], "3.3": ["SLDTBXH"], "3.4": ["STTTT"], "3.5": ["CA"],
    "3.6": ["SNGV"],
}
PARTNERS = {
    ("1.1", "1"): ["các sở, ngành và địa phương liên quan", "các cơ quan"],
    ("1.1", "2"): ["các sở, ngành và địa phương liên quan"],
    ("1.2", "1"): ["các sở, cơ quan liên quan"],
    ("1.2", "2"): ["CT"],
    ("1.6", "2"): ["các ngành"],
    ("1.7", "2"): ["STC", "STNMT", "các sở, ngành, địa phương liên quan"],
    ("1.9", "5"): ["các cấp, các ngành, địa phương và doanh nghiệp trên địa bàn tỉnh"],
    ("2.1", "d"): ["STNMT", "@HUYEN"],
    ("2.2", "1"): ["@CDT"],
    ("3.3", "1"): ["các sở, ngành, đơn vị có liên quan", "@HUYEN"],
    ("3.4", "1"): ["BTGTU"],
    ("3.5", "1"): ["@HUYEN"],
    ("3.6", "1"): ["tỉnh bạn"],
}


def test_seed_task_counts(seed: dict) -> None:
    tasks = seed["tasks"]
    assert len(tasks) == 65
    assert Counter(t["section"] for t in tasks) == SECTION_COUNTS
    assert list(dict.fromkeys(t["section"] for t in tasks)) == list(SECTION_COUNTS)  # document order
    assert {t["part"] for t in tasks} == {"II"}
    assert [t["item"] for t in tasks if t["section"] == "2.1"] == list("abcdefghikl")
    for section, count in SECTION_COUNTS.items():
        if section != "2.1":
            assert [t["item"] for t in tasks if t["section"] == section] == [str(i) for i in range(1, count + 1)]
    assert set(tasks[0]) == {"part", "section", "item", "lead", "partners", "text", "due", "recurrence",
                             "time_limit", "targets"}


def test_seed_document_header(seed: dict) -> None:
    doc = seed["document"]
    assert doc == {
        "number": "07/CTr-UBND",
        "type": "CTr",
        "issuer": "UBND",
        "place": "Lào Cai",
        "date": "2020-06-30",
        "title": doc["title"],
        "signer": "Đặng Xuân Phong",
    }
    assert doc["title"].startswith("CHƯƠNG TRÌNH HÀNH ĐỘNG THỰC HIỆN NGHỊ QUYẾT SỐ 84/NQ-CP NGÀY 29/5/2020")
    assert doc["title"].endswith("TRONG BỐI CẢNH ĐẠI DỊCH COVID-19")


def test_seed_reporting_rule_of_part_III(seed: dict) -> None:
    assert seed["reporting"] == [{
        "every": "month",
        "before_day": 25,
        "to": ["SKHDT"],
        "literal": "định kỳ hàng tháng báo cáo kết quả thực hiện gửi Sở Kế hoạch và Đầu tư trước ngày 25 hàng tháng",
    }]


def test_seed_leads_match_section_headings(seed: dict) -> None:
    for t in seed["tasks"]:
        assert t["lead"] == SECTION_LEADS[t["section"]], (t["section"], t["item"])


def test_seed_partners(seed: dict) -> None:
    found = {(t["section"], t["item"]): t["partners"] for t in seed["tasks"] if t["partners"]}
    assert found == PARTNERS


def test_seed_texts_and_folded_sub_bullets(seed: dict) -> None:
    b = task(seed, "2.1", "b")
    assert b["text"].splitlines() == [
        "Đối với kế hoạch vốn năm 2020 (bao gồm cả vốn kéo dài), trong đó:",
        "- Đối với kế hoạch vốn kéo dài: Yêu cầu đến hết tháng 8/2020 giải ngân toàn bộ số vốn kéo dài các năm "
        "2018, 2019 sang năm 2020.",
        "- Đối với kế hoạch vốn năm 2020: Yêu cầu giải ngân đạt trên 80%KH trước ngày 30/9/2020; 100% KH vốn trước "
        "ngày 31/12/2020.",
    ]
    assert task(seed, "1.5", "1")["text"].startswith("Đề xuất các giải pháp tháo gỡ khó khăn")
    assert task(seed, "2.2", "1")["text"].startswith("Thực hiện các thủ tục thanh toán vốn đầu tư")
    assert task(seed, "3.6", "1")["text"].endswith("giữa hai bên.")
    for t in seed["tasks"]:  # no boilerplate, markers, part III or recipients in a task
        assert not t["text"].startswith(("- ", "a)", "b)"))
        assert "Nơi nhận" not in t["text"] and "Đang tải" not in t["text"] and "./." not in t["text"]


def test_seed_disbursement_deadlines_and_targets(seed: dict) -> None:
    a = task(seed, "2.1", "a")
    assert a["due"] == []
    assert a["targets"] == [{"percent": 100, "op": "=", "by": "2020-12-31", "of": "KH vốn đầu tư công năm 2020",
                             "literal": "đến hết năm 2020, giải ngân 100%KH vốn đầu tư công năm 2020"}]
    b = task(seed, "2.1", "b")
    assert b["due"] == [{"date": "2020-08-31", "rule": "by", "literal": "đến hết tháng 8/2020"}]
    assert b["targets"] == [
        {"percent": 80, "op": ">", "by": "2020-09-30", "of": "KH vốn năm 2020",
         "literal": "trên 80%KH trước ngày 30/9/2020"},
        {"percent": 100, "op": "=", "by": "2020-12-31", "of": "KH vốn năm 2020",
         "literal": "100% KH vốn trước ngày 31/12/2020"},
    ]
    cut = task(seed, "2.3", "2")
    assert cut["due"] == []
    assert cut["targets"] == [{"percent": 60, "op": "<", "by": "2020-09-30", "of": "KH vốn",
                               "literal": "đến ngày 30/9/2020 có tỷ lệ giải ngân dưới 60%KH vốn"}]


def test_seed_time_limits(seed: dict) -> None:
    assert task(seed, "2.1", "h")["time_limit"] == {
        "days": 5, "working": None, "literal": "trong thời hạn 05 ngày tính từ thời điểm nhận hồ sơ"}
    assert task(seed, "2.2", "1")["time_limit"] == {
        "days": 4, "working": None,
        "literal": "trong thời hạn 04 ngày kể từ ngày có khối lượng nghiệm thu theo quy định"}
    with_limit = {(t["section"], t["item"]) for t in seed["tasks"] if t["time_limit"]}
    assert with_limit == {("2.1", "h"), ("2.2", "1")}  # "đã qua 21 ngày kể từ ngày công bố hết dịch" is no limit


def test_seed_nothing_invented(seed: dict) -> None:
    dated = {(t["section"], t["item"]): t["due"] for t in seed["tasks"] if t["due"]}
    assert dated == {
        ("1.6", "2"): [{"date": "2021-02-28", "rule": "by", "literal": "tháng 02/2021"}],
        ("2.1", "b"): [{"date": "2020-08-31", "rule": "by", "literal": "đến hết tháng 8/2020"}],
    }
    targeted = {(t["section"], t["item"]) for t in seed["tasks"] if t["targets"]}
    assert targeted == {("2.1", "a"), ("2.1", "b"), ("2.3", "2")}  # undated percentages are not targets
    cited = {"2020-05-29", "2020-03-13", "2020-03-04", "2010-06-08", "2013-05-14", "2020-04-09"}
    used = {d["date"] for t in seed["tasks"] for d in t["due"]} | {x["by"] for t in seed["tasks"] for x in t["targets"]}
    assert not used & cited
    recurring = {(t["section"], t["item"]): t["recurrence"] for t in seed["tasks"] if t["recurrence"]}
    assert recurring == {("3.2", "1"): {"every": "half_year", "days": [], "literal": "định kỳ 6 tháng, 01 năm"}}


# --- copies of the seed give the same result -----------------------------------------------------------
def _seed_docx(text: str, path: Path) -> Path:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _to_cp1258(text: str) -> bytes:
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:  # cp1258 writes the tone as a combining mark after the letter
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return bytes(out)


def _seed_html(text: str) -> bytes:
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n"))
    page = (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Hệ thống pháp luật</title>"
        "<script>var s = '<p>Giao Sở Y tế chủ trì</p>';</script><style>p{margin:0}</style></head><body>"
        f"<div class=\"content\">{body}</div></body></html>"
    )
    return page.encode("utf-8")


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF showing the given lines; non-ASCII letters via /Differences glyph names (uniXXXX)."""
    chars = sorted({c for page in pages for line in page for c in line if ord(c) > 126})
    assert len(chars) <= 128
    codes = {c: 128 + i for i, c in enumerate(chars)}
    diffs = " ".join(f"/uni{ord(c):04X}" for c in chars)

    def show(line: str) -> str:
        return "".join(f"\\{codes.get(c, ord(c)):03o}" if ord(c) > 126 or c in "()\\" else c for c in line)

    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (" ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))).encode(), len(pages)),
        ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
         f"/BaseEncoding /WinAnsiEncoding /Differences [128 {diffs}] >> >>").encode(),
    ]
    for i, page in enumerate(pages):
        stream = "\n".join(f"BT /F1 9 Tf 30 {800 - 13 * k} Td ({show(line)}) Tj ET"
                           for k, line in enumerate(page)).encode("latin-1")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
                       b">> /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _seed_pdf(text: str) -> bytes:
    """The seed wrapped to 95 characters, 55 lines a page, with a running header and page numbers."""
    lines = [w for line in text.split("\n") if line.strip() and set(line.strip()) != {"-"}
             for w in textwrap.wrap(line.strip(), 95)]
    pages = [lines[i:i + 55] for i in range(0, len(lines), 55)]
    return make_pdf([["Chương trình hành động số 07/CTr-UBND", *page, str(n)] for n, page in enumerate(pages, 1)])


COPIES = {
    "docx": lambda text, d: _seed_docx(text, d / "seed.docx"),
    "nfd": lambda text, d: _write(d / "seed_nfd.txt", unicodedata.normalize("NFD", text).encode("utf-8")),
    "utf8-bom": lambda text, d: _write(d / "seed_bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")),
    "utf16": lambda text, d: _write(d / "seed16.txt", text.encode("utf-16")),
    "utf16le-no-bom": lambda text, d: _write(d / "seed16le.txt", text.encode("utf-16-le")),
    "cp1258": lambda text, d: _write(d / "seed1258.txt", _to_cp1258(text)),
    "crlf-old-tones": lambda text, d: _write(
        d / "seed_crlf.txt", text.replace("Ủy", "Uỷ").replace("hòa", "hoà").replace("\n", "\r\n").encode("utf-8")),
    "html": lambda text, d: _write(d / "seed.html", _seed_html(text)),
    "nfd-docx": lambda text, d: _seed_docx(unicodedata.normalize("NFD", text), d / "seed_nfd.docx"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", list(COPIES))
def test_copies_of_the_seed_parse_the_same(kind: str, seed_text: str, seed: dict, registry: Registry,
                                           tmp_path: Path) -> None:
    path = COPIES[kind](seed_text, tmp_path)
    assert parse_file(path, registry) == seed


def test_nfd_text_parses_the_same(seed_text: str, seed: dict, registry: Registry) -> None:
    assert parse_text(unicodedata.normalize("NFD", seed_text), registry) == seed


def test_text_pdf_through_pypdf(seed_text: str, seed: dict, registry: Registry, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "seed.pdf", _seed_pdf(seed_text))
    monkeypatch.setattr(convert.shutil, "which", lambda name: None)  # no poppler: pypdf
    assert parse_file(path, registry, CONVERTERS) == seed


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_text_pdf_through_pdftotext(seed_text: str, seed: dict, registry: Registry, tmp_path: Path) -> None:
    result = parse_file(_write(tmp_path / "seed.pdf", _seed_pdf(seed_text)), registry, CONVERTERS)
    assert result["document"] == seed["document"] and result["reporting"] == seed["reporting"]
    # pdftotext spaces the synthetic font's glyphs by guesswork: compare everything but spaces.
    for got, want in zip(result["tasks"], seed["tasks"], strict=True):
        assert {**got, "text": got["text"].replace(" ", "")} == {**want, "text": want["text"].replace(" ", "")}


# --- prose directives ----------------------------------------------------------------------------------
def only(result: dict) -> dict:
    assert len(result["tasks"]) == 1, result["tasks"]
    return result["tasks"][0]


def test_prose_directive_with_lead_partners_and_deadline(registry: Registry) -> None:
    t = only(parse_text(
        "Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư và UBND các huyện, thị xã, thành phố "
        "tham mưu UBND tỉnh phương án phân bổ vốn sự nghiệp, hoàn thành trước ngày 23/5/2019.", registry))
    assert t["lead"] == ["STC"]
    assert t["partners"] == ["SKHDT", "@HUYEN"]
    assert t["due"] == [{"date": "2019-05-23", "rule": "before", "literal": "trước ngày 23/5/2019"}]
    assert (t["part"], t["section"], t["item"]) == (None, None, "1")
    assert t["recurrence"] is None and t["time_limit"] is None and t["targets"] == []


@pytest.mark.parametrize(("phrase", "due"), [
    ("trong quý I/2020", {"date": "2020-03-31", "rule": "by", "literal": "trong quý I/2020"}),
    ("trước quý III/2020", {"date": "2020-07-01", "rule": "before", "literal": "trước quý III/2020"}),
    ("đến hết năm 2020", {"date": "2020-12-31", "rule": "by", "literal": "đến hết năm 2020"}),
    ("vào hoạt động tháng 02/2021", {"date": "2021-02-28", "rule": "by", "literal": "tháng 02/2021"}),
    ("đến hết tháng 02/2024", {"date": "2024-02-29", "rule": "by", "literal": "đến hết tháng 02/2024"}),
    ("chậm nhất ngày 15/10/2020", {"date": "2020-10-15", "rule": "by", "literal": "chậm nhất ngày 15/10/2020"}),
    ("trước ngày 30 tháng 9 năm 2020", {"date": "2020-09-30", "rule": "before",
                                         "literal": "trước ngày 30 tháng 9 năm 2020"}),
])
def test_prose_deadline_shapes(phrase: str, due: dict, registry: Registry) -> None:
    t = only(parse_text(f"Giao Sở Nông nghiệp và PTNT hoàn thành Đề án {phrase}.", registry))
    assert t["lead"] == ["SNN"]
    assert t["due"] == [due]


def test_prose_yearly_report_days(registry: Registry) -> None:
    t = only(parse_text("Giao các sở, ban, ngành; UBND các huyện, thành phố báo cáo kết quả thực hiện về Sở Kế "
                        "hoạch và Đầu tư trước ngày 05/6 và 05/12 hàng năm.", registry))
    assert t["lead"] == ["@SBN", "@HUYEN"]
    assert t["due"] == []
    # Two days a year: every half year, on these days.
    assert t["recurrence"] == {"every": "half_year", "days": ["05/06", "05/12"],
                               "literal": "trước ngày 05/6 và 05/12 hàng năm"}


def test_prose_regular_task_has_no_deadline(registry: Registry) -> None:
    t = only(parse_text("Giao Công an tỉnh thường xuyên kiểm tra, giám sát việc thực hiện.", registry))
    assert t["lead"] == ["CA"] and t["due"] == [] and t["recurrence"] is None


def test_prose_several_directives_and_cited_documents(registry: Registry) -> None:
    result = parse_text(
        "Thực hiện Nghị quyết số 84/NQ-CP ngày 29/5/2020 của Chính phủ, UBND tỉnh có ý kiến như sau:\n"
        "1. Giao Giám đốc Sở Tài chính tỉnh Yên Bái chủ trì thực hiện theo Thông tư số 01/2020/TT-NHNN ngày "
        "13/3/2020. Giao Sở Tư pháp thẩm định trong thời hạn 10 ngày làm việc kể từ ngày nhận đủ hồ sơ.\n"
        "2. Giao Tổng công ty đường sắt Việt Nam phối hợp với các cơ quan, đơn vị liên quan thực hiện.\n"
        "3. Sở Y tế chủ trì, phối hợp với Công an tỉnh Lào Cai kiểm tra định kỳ hàng quý.\n", registry)
    tasks = result["tasks"]
    assert [(t["section"], t["item"], t["lead"]) for t in tasks] == [
        ("1", "1", ["STC"]), ("1", "2", ["STP"]), ("2", "1", ["Tổng công ty đường sắt Việt Nam"]), ("3", "1", ["SYT"])]
    assert all(t["due"] == [] for t in tasks)
    assert tasks[1]["time_limit"] == {"days": 10, "working": True,
                                      "literal": "trong thời hạn 10 ngày làm việc kể từ ngày nhận đủ hồ sơ"}
    assert tasks[2]["partners"] == ["các cơ quan, đơn vị liên quan"]
    assert tasks[3]["partners"] == ["CA"]
    assert tasks[3]["recurrence"] == {"every": "quarter", "days": [], "literal": "định kỳ hàng quý"}


def test_prose_agency_colon_and_handover_are_not_confused(registry: Registry) -> None:
    result = parse_text(
        "- Sở Y tế: Hướng dẫn các cơ sở y tế thực hiện trước ngày 15/7/2020.\n"
        "- Công trình đã bàn giao cho UBND huyện Bát Xát quản lý.\n"
        "- UBND tỉnh giao UBND thị xã Sa Pa chủ trì tổ chức lễ hội.\n", registry)
    assert [(t["item"], t["lead"], t["text"][:12]) for t in result["tasks"]] == [
        ("1", ["SYT"], "Sở Y tế: Hướ"), ("2", ["TXSP"], "UBND tỉnh gi")]


def test_structured_document_with_department_header(registry: Registry) -> None:
    text = "\n".join([
        "UBND TỈNH LÀO CAI", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "-------", "Số: 15/KH-SKHĐT",
        "Lào Cai, ngày 05 tháng 10 năm 2020", "KẾ HOẠCH", "Triển khai giải ngân vốn đầu tư công quý IV/2020",
        "I. MỤC ĐÍCH, YÊU CẦU", "- Giải ngân đạt trên 90% kế hoạch trước ngày 31/12/2020.",
        "II. TỔ CHỨC THỰC HIỆN",
        "1. Phòng Tổng hợp chủ trì, phối hợp với Kho bạc Nhà nước tỉnh tổng hợp số liệu; định kỳ hàng quý báo "
        "cáo UBND tỉnh trước ngày 20 của tháng cuối quý.",
        "2. Các chủ đầu tư:",
        "- Cam kết giải ngân tối thiểu 50% kế hoạch vốn trước ngày 30/11/2020.",
        "- Đối với vốn kéo dài: giải ngân 100% đến hết tháng 11/2020.",
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An",
    ])
    result = parse_text(text, registry)
    assert result["document"] == {"number": "15/KH-SKHĐT", "type": "KH", "issuer": "SKHDT", "place": "Lào Cai",
                                  "date": "2020-10-05",
                                  "title": "KẾ HOẠCH Triển khai giải ngân vốn đầu tư công quý IV/2020",
                                  "signer": "Nguyễn Văn An"}
    tasks = result["tasks"]  # no task part: the parts other than aims are read
    assert [(t["part"], t["section"], t["item"]) for t in tasks] == [("II", "1", "1"), ("II", "2", "1"),
                                                                     ("II", "2", "2")]
    assert tasks[0]["partners"] == ["KBNN"] and tasks[0]["recurrence"]["every"] == "quarter"
    assert tasks[1]["lead"] == ["@CDT"]
    assert tasks[1]["targets"] == [{"percent": 50, "op": ">=", "by": "2020-11-30", "of": "kế hoạch vốn",
                                    "literal": "tối thiểu 50% kế hoạch vốn trước ngày 30/11/2020"}]
    assert tasks[2]["targets"][0]["of"] == "vốn kéo dài" and tasks[2]["due"] == []


def test_find_dates_ignores_bare_and_cited_dates() -> None:
    text = ("theo Kế hoạch số 12/KH-UBND ngày 05/3/2020, từ ngày 01/7/2020 đến ngày 30/9/2020, "
            "ngày 15/8/2020 tổ chức hội nghị, sản lượng 3 triệu tấn trong năm 2020")
    assert [(d.rule, d.date.isoformat(), d.literal) for d in find_dates(text)] == [
        ("by", "2020-09-30", "đến ngày 30/9/2020")]


def test_schedule_of_monthly_report_and_targets() -> None:
    due, recurrence, limit, targets = extract_schedule(
        "Định kỳ hàng tháng báo cáo trước ngày 25 hàng tháng; giải ngân từ 70% trở lên trước ngày 31/10/2020.")
    assert due == [] and limit is None
    assert recurrence == {"every": "month", "days": [25],
                          "literal": "Định kỳ hàng tháng báo cáo trước ngày 25 hàng tháng"}
    assert targets == [{"percent": 70, "op": ">=", "by": "2020-10-31", "of": None,
                        "literal": "70% trở lên trước ngày 31/10/2020"}]


# --- legacy encodings -----------------------------------------------------------------------------------
SAMPLE = ("Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc.\n"
          "Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư và UBND các huyện, thị xã, thành phố "
          "tham mưu ưu tiên nguồn vốn, hoàn thành trước ngày 23/5/2019.")


def test_tcvn3_round_trip_and_detection() -> None:
    encoded = encode_tcvn3(SAMPLE)
    assert "Céng hßa x· héi chñ nghÜa ViÖt Nam" in encoded  # what a .VnTime document shows as Latin-1
    assert decode_tcvn3(encoded) == SAMPLE
    assert detect_legacy(encoded) == "tcvn3"
    assert to_unicode(encoded) == SAMPLE
    assert decode_bytes(encoded.encode("latin-1")) == SAMPLE


def test_vni_round_trip_and_detection() -> None:
    sample = SAMPLE + " Ỷ Ỹ Ỵ ẳ Ặ Ướ Ợ"
    encoded = encode_vni(sample)
    assert "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam" in encoded
    assert decode_vni(encoded) == sample
    assert detect_legacy(encoded) == "vni"
    assert decode_bytes(encoded.encode("latin-1")) == sample


def test_unicode_and_ascii_are_left_alone() -> None:
    assert detect_legacy(SAMPLE) is None
    assert to_unicode("Plain ASCII text, 100% kept.") == "Plain ASCII text, 100% kept."
    assert to_unicode("Café crème, naïve façade") == "Café crème, naïve façade"


def test_mixed_document_converts_only_its_legacy_lines() -> None:
    text = "Tài chính\nSở Tài chính\n" + encode_tcvn3(SAMPLE) + "\nNoël à Paris"  # à is no TCVN3 code
    assert to_unicode(text) == "Tài chính\nSở Tài chính\n" + SAMPLE + "\nNoël à Paris"


@pytest.mark.parametrize("encode", [encode_tcvn3, encode_vni])
def test_legacy_files_parse_like_unicode(encode, registry: Registry, tmp_path: Path) -> None:
    expected = parse_text(SAMPLE, registry)
    txt = _write(tmp_path / "legacy.txt", encode(SAMPLE).encode("latin-1"))
    assert parse_file(txt, registry) == expected
    document = docx.Document()  # a .docx typed with a legacy font keeps the legacy characters
    for line in encode(SAMPLE).split("\n"):
        document.add_paragraph(line)
    document.save(str(tmp_path / "legacy.docx"))
    assert parse_file(tmp_path / "legacy.docx", registry) == expected
    assert expected["tasks"][0]["lead"] == ["STC"]


# --- other readers and errors -------------------------------------------------------------------------
def test_docx_automatic_numbering_and_tables(registry: Registry, tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLào Cai, ngày 02 tháng 01 năm 2021"
    document.add_paragraph("Số: 01/KH-UBND")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Thực hiện Nghị quyết 01/NQ-CP")
    document.add_paragraph("II. NHIỆM VỤ, GIẢI PHÁP")
    document.add_paragraph("1.1. Sở Y tế")
    document.add_paragraph("Chủ trì phòng, chống dịch.", style="List Bullet")
    document.add_paragraph("Phối hợp với Sở Giáo dục và Đào tạo kiểm tra trường học.", style="List Bullet")
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    result = parse_file(path, registry)
    assert result["document"]["issuer"] == "UBND" and result["document"]["date"] == "2021-01-02"
    assert [(t["section"], t["item"], t["lead"], t["partners"]) for t in result["tasks"]] == [
        ("1.1", "1", ["SYT"], []), ("1.1", "2", ["SYT"], ["SGDDT"])]


def test_html_boilerplate_is_dropped(registry: Registry, tmp_path: Path) -> None:
    page = ("<html><body><div>Hệ thống pháp luật</div><p>Đang tải nội dung, vui lòng chờ giây lát...</p>"
            "<script>document.write('Giao Sở Y tế chủ trì')</script>"
            "<p>Giao S&#7903; T&agrave;i ch&iacute;nh ch&#7911; tr&igrave; th&#7921;c hi&#7879;n.</p></body></html>")
    path = _write(tmp_path / "page.htm", page.encode("utf-8"))
    assert [t["text"] for t in parse_file(path, registry)["tasks"]] == ["Giao Sở Tài chính chủ trì thực hiện."]


def test_unreadable_and_empty_input(registry: Registry, tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="^cannot read"):
        parse_file(tmp_path / "missing.txt", registry)
    with pytest.raises(ParseError, match="^empty document"):
        parse_file(_write(tmp_path / "empty.txt", b" \n\r\n "), registry)
    with pytest.raises(ParseError, match="^empty document"):
        parse_text("Hệ thống pháp luật\nĐang tải nội dung, vui lòng chờ giây lát...\n", registry)
    with pytest.raises(ParseError, match="^cannot read broken.docx"):
        parse_file(_write(tmp_path / "broken.docx", b"PK\x03\x04 not really a zip"), registry)


def test_scanned_pdf_needs_ocr(registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "scan.pdf", make_pdf([[], []]))
    with pytest.raises(ParseError) as error:
        parse_file(path, registry, CONVERTERS)
    assert str(error.value) == "no text layer: scanned PDF, OCR needed"
    monkeypatch.setattr(convert.shutil, "which", lambda name: None)
    with pytest.raises(ParseError, match="^no text layer: scanned PDF, OCR needed$"):
        parse_file(path, registry, CONVERTERS)


def test_doc_without_libreoffice(registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert.shutil, "which", lambda name: None)
    path = _write(tmp_path / "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(ParseError, match=r"^cannot read old\.doc: .*LibreOffice \(soffice\).*not installed"):
        parse_file(path, registry, CONVERTERS)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_doc_through_libreoffice(seed_text: str, seed: dict, registry: Registry, tmp_path: Path) -> None:
    import subprocess

    source = _seed_docx(seed_text, tmp_path / "seed.docx")
    out = tmp_path / "doc"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(out), str(source)], check=True, capture_output=True,
                   timeout=180)
    assert parse_file(out / "seed.doc", registry, CONVERTERS) == seed
