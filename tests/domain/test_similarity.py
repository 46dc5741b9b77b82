"""Duplicate suggestions: normalised Vietnamese text similarity (pure, no database)."""

import pytest

from dondoc.domain.similarity import Match, normalise, score, similar

GPMB = "Đề nghị tháo gỡ vướng mắc giải phóng mặt bằng dự án Đường nối Quốc lộ 4D - thị xã Sa Pa"
TAX = "Đề nghị gia hạn nộp thuế thu nhập doanh nghiệp do ảnh hưởng dịch Covid-19"


@pytest.mark.parametrize(("text", "expected"), [
    ("Giải phóng MẶT BẰNG", "giai phong mat bang"),
    ("Kiến nghị về GPMB", "giai phong mat bang"),  # boilerplate dropped, abbreviation expanded
    ("Hoà Bình, Uỷ ban", "hoa binh uy ban"),  # old tone placement folds like the new one
    ("QL 4D; TX Sa Pa!", "quoc lo 4d thi xa sa pa"),
    ("của các", ""),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(("a", "b", "low", "high"), [
    (GPMB, GPMB.upper(), 100, 100),  # case
    (GPMB, "de nghi thao go vuong mac giai phong mat bang du an duong noi quoc lo 4d thi xa sa pa", 100, 100),
    (GPMB, "Kiến nghị tháo gỡ vướng mắc GPMB dự án đường nối QL 4D, TX Sa Pa", 100, 100),  # abbreviations
    (TAX, "Doanh nghiệp đề nghị được gia hạn thời hạn nộp thuế TNDN vì dịch Covid-19", 70, 95),  # reworded
    (GPMB, TAX, 0, 50),  # different matters
    (TAX, "Đề nghị hỗ trợ vay vốn ưu đãi để duy trì sản xuất", 0, 50),
    (GPMB, "", 0, 0),
])
def test_score(a, b, low, high):
    assert low <= score(a, b) <= high
    assert score(a, b) == score(b, a)


def test_similar_ranks_and_cuts():
    candidates = [
        (1, "Đề nghị hỗ trợ vay vốn ưu đãi để duy trì sản xuất"),
        (2, "Kiến nghị tháo gỡ vướng mắc GPMB dự án đường nối QL 4D, TX Sa Pa"),
        (3, "Doanh nghiệp đề nghị được gia hạn thời hạn nộp thuế TNDN vì dịch Covid-19"),
        (4, "Vướng mắc giải phóng mặt bằng dự án đường nối Quốc lộ 4D"),
    ]
    found = similar(GPMB, candidates)
    assert [m.key for m in found] == [2, 4]
    assert found[0] == Match(2, 100.0) and 70 <= found[1].score < 100
    assert similar(GPMB, candidates, limit=1) == [Match(2, 100.0)]
    assert similar("của các", candidates) == []  # nothing but boilerplate: no suggestion
