import json
import unicodedata
from pathlib import Path

import pytest

from dondoc.domain.agencies import Registry, name_key
from dondoc.domain.text import fold, search_key, sort_key

REFERENCE = json.loads(Path("dondoc/reference/laocai_2020.json").read_text(encoding="utf-8"))
REGISTRY = Registry.from_reference(REFERENCE)


@pytest.mark.parametrize(
    ("old", "new"),
    [("Uỷ ban", "ủy ban"), ("UỶ BAN NHÂN DÂN", "ủy ban nhân dân"), ("hoà", "hòa"), ("khoẻ", "khỏe"),
     ("thuỷ lợi", "thủy lợi"), ("Hoàng", "hoàng"), ("quý", "quý"), ("thuyết", "thuyết")],
)
def test_fold_rewrites_old_tone_placement_only_where_it_differs(old, new):
    assert fold(old) == new
    assert fold(unicodedata.normalize("NFD", old)) == new


def test_search_key_drops_accents_and_d_bar():
    assert search_key("Sở Tài chính") == "so tai chinh"
    assert search_key("Đầu tư") == "dau tu"


def test_sort_key_follows_the_vietnamese_alphabet():
    names = ["Ưu", "Uyên", "Đà Lạt", "Dương", "Bắc Hà", "Bát Xát", "Bảo Yên", "ân", "ăn", "an"]
    assert sorted(names, key=sort_key) == ["an", "ăn", "ân", "Bảo Yên", "Bát Xát", "Bắc Hà", "Dương", "Đà Lạt",
                                           "Uyên", "Ưu"]


# Every spelling DOMAIN.md §2 lists, and the variants real documents use.
CASES = [
    ("Ủy ban nhân dân tỉnh Lào Cai", "UBND"), ("Uỷ ban nhân dân tỉnh Lào Cai", "UBND"), ("UBND tỉnh", "UBND"),
    ("Văn phòng UBND tỉnh", "VPUBND"), ("Văn phòng Ủy ban nhân dân tỉnh", "VPUBND"),
    ("Sở Kế hoạch và Đầu tư", "SKHDT"), ("Sở KH&ĐT", "SKHDT"), ("Sở KHĐT", "SKHDT"), ("sở kh & đt", "SKHDT"),
    ("Sở Tài chính", "STC"), ("SỞ TÀI CHÍNH", "STC"), ("Cục Thuế tỉnh", "CT"), ("Cục Thuế", "CT"),
    ("Ngân hàng Nhà nước chi nhánh tỉnh", "NHNN"), ("NHNN chi nhánh tỉnh", "NHNN"),
    ("Sở Công Thương", "SCT"), ("Sở Nông nghiệp và Phát triển nông thôn", "SNN"),
    ("Sở Nông nghiệp và PTNT", "SNN"), ("Sở NN&PTNT", "SNN"),
    ("Sở Giao thông vận tải - Xây dựng", "SGTVTXD"), ("Sở Giao thông vận tải – Xây dựng", "SGTVTXD"),
    ("Sở GTVT-XD", "SGTVTXD"), ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("Sở Văn hoá, Thể thao và Du lịch", "SVHTTDL"), ("Sở Văn hóa Thể thao và Du lịch", "SVHTTDL"),
    ("Sở VHTTDL", "SVHTTDL"), ("Kho bạc Nhà nước tỉnh", "KBNN"), ("KBNN tỉnh", "KBNN"), ("Sở Y tế", "SYT"),
    ("Sở Giáo dục và Đào tạo", "SGDDT"), ("Sở GD&ĐT", "SGDDT"),
    ("Sở Lao động - Thương binh và Xã hội", "SLDTBXH"), ("Sở Lao động Thương binh và Xã hội", "SLDTBXH"),
    ("Sở LĐTBXH", "SLDTBXH"), ("Sở Thông tin và Truyền thông", "STTTT"), ("Sở TT&TT", "STTTT"),
    ("Công an tỉnh", "CA"), ("Sở Ngoại vụ", "SNGV"), ("Sở Tài nguyên và Môi trường", "STNMT"),
    ("Sở TN&MT", "STNMT"), ("Sở Nội vụ", "SNV"), ("Sở Tư pháp", "STP"), ("Sở Khoa học và Công nghệ", "SKHCN"),
    ("Ban Quản lý Khu kinh tế tỉnh", "BQLKKT"), ("Ban Tuyên giáo Tỉnh ủy", "BTGTU"),
    ("Ban Tuyên giáo Tỉnh uỷ", "BTGTU"), ("UBND thành phố Lào Cai", "TPLC"), ("UBND thị xã Sa Pa", "TXSP"),
    ("Ủy ban nhân dân thị xã Sa Pa", "TXSP"), ("UBND huyện Bát Xát", "BX"), ("UBND huyện Mường Khương", "MK"),
    ("UBND huyện Si Ma Cai", "SMC"), ("UBND huyện Bắc Hà", "BH"), ("UBND huyện Bảo Thắng", "BT"),
    ("UBND huyện Bảo Yên", "BY"), ("UBND huyện Văn Bàn", "VB"),
    # Other provinces use the same department names; titles and province qualifiers are not part of the name.
    ("Sở Kế hoạch và Đầu tư tỉnh Yên Bái", "SKHDT"), ("Giám đốc Sở Tài chính", "STC"),
    ("Cục Thuế tỉnh Lào Cai", "CT"),
    # Groups.
    ("các sở, ban, ngành", "@SBN"), ("các sở, ngành", "@SBN"), ("các sở, ban ngành", "@SBN"),
    ("Thủ trưởng các sở, ban, ngành", "@SBN"), ("các sở, ban, ngành thuộc UBND tỉnh", "@SBN"),
    ("các cơ quan chuyên môn thuộc UBND tỉnh", "@SBN"), ("UBND các huyện, thị xã, thành phố", "@HUYEN"),
    ("UBND các huyện, thành phố", "@HUYEN"), ("Chủ tịch UBND các huyện, thị xã, thành phố", "@HUYEN"),
    ("các chủ đầu tư", "@CDT"), ("chủ đầu tư các dự án", "@CDT"),
    # Vague actors and outside bodies are not guessed.
    ("các cơ quan, đơn vị liên quan", None), ("các đơn vị, địa phương", None),
    ("Công ty Điện lực Lào Cai", None), ("Tổng công ty đường sắt Việt Nam", None), ("Ban Chỉ đạo quốc gia", None),
]


@pytest.mark.parametrize(("name", "code"), CASES)
def test_resolver_maps_every_spelling_to_its_code(name, code):
    assert REGISTRY.resolve(name) == code
    assert REGISTRY.resolve(unicodedata.normalize("NFD", name)) == code


def test_every_registry_agency_is_covered_by_the_table():
    assert {c for _, c in CASES if c and not c.startswith("@")} == {a["code"] for a in REFERENCE["agencies"]}


def test_a_name_claimed_by_two_codes_is_refused():
    from dondoc.domain.agencies import Entry

    with pytest.raises(ValueError, match="claimed by both"):
        Registry([Entry("A", ("Sở Tài chính",)), Entry("B", ("Sở Tài Chính",))])


def test_name_key_expands_abbreviations():
    assert name_key("UBND tỉnh") == name_key("Ủy ban nhân dân tỉnh")
