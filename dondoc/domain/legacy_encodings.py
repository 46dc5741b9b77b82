"""Legacy Vietnamese encodings (TCVN3/ABC, VNI) and byte decoding of plain-text files. Pure Python.

Before Unicode, Vietnamese text was typed in 8-bit font encodings: TCVN3 (".VnTime" fonts, one
character per letter) and VNI ("VNI-Times", a base letter followed by mark characters). Read as
Latin-1 they come out as "Céng hoµ" (TCVN3) or "Coäng hoøa" (VNI). ``to_unicode`` detects and
converts such text; ``decode_bytes`` turns the bytes of a .txt file into Unicode text.
"""

from __future__ import annotations

import re
import unicodedata

# --- TCVN3 (TCVN 5712:1993, VN3) -------------------------------------------------------------------
# Only these capitals have their own code; toned capitals use the same codes in an upper-case font.
_TCVN3_PAIRS = (
    "àµ á¸ ả¶ ã· ạ¹ ă¨ ằ» ắ¾ ẳ¼ ẵ½ ặÆ â© ầÇ ấÊ ẩÈ ẫÉ ậË đ® èÌ éÐ ẻÎ ẽÏ ẹÑ "
    "êª ềÒ ếÕ ểÓ ễÔ ệÖ ì× íÝ ỉØ ĩÜ ịÞ òß óã ỏá õâ ọä ô« ồå ốè ổæ ỗç ộé "
    "ơ¬ ờê ớí ởë ỡì ợî ùï úó ủñ ũò ụô ư\u00ad ừõ ứø ửö ữ÷ ựù ỳú ýý ỷû ỹü ỵþ "
    "Ă¡ Â¢ Đ§ Ê£ Ô¤ Ơ¥ Ư¦"
)
TCVN3_TO_UNICODE: dict[str, str] = {p[1]: p[0] for p in _TCVN3_PAIRS.split(" ")}
UNICODE_TO_TCVN3: dict[str, str] = {u: t for t, u in TCVN3_TO_UNICODE.items()}

# --- VNI (VNI-Windows) -----------------------------------------------------------------------------
# Tone order: sắc, huyền, hỏi, ngã, nặng.
_VNI_TONES = ("ù", "ø", "û", "õ", "ï")
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")  # plain, then the five tones
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")
_TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")


def _compose(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


def _vni_table() -> dict[str, str]:
    lower: dict[str, str] = {}
    for base in "aeouy":
        for tone, mark in zip(_VNI_TONES, _TONE_MARKS, strict=True):
            lower[base + tone] = _compose(base, mark)
    for base in "aeo":  # â ê ô: one code for the circumflex and each tone
        for code, marks in zip(_VNI_CIRCUMFLEX, [(), *[(m,) for m in _TONE_MARKS]], strict=True):
            lower[base + code] = _compose(base, "\u0302", *marks)
    for code, marks in zip(_VNI_BREVE, [(), *[(m,) for m in _TONE_MARKS]], strict=True):  # ă
        lower["a" + code] = _compose("a", "\u0306", *marks)
    for code, letter in (("ô", "ơ"), ("ö", "ư")):  # horn letters are one code; the tone code follows
        lower[code] = letter
        for tone, mark in zip(_VNI_TONES, _TONE_MARKS, strict=True):
            lower[code + tone] = _compose(letter, mark)
    # i has one code per tone; so have ỵ and đ.
    lower.update({"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ñ": "đ"})
    return lower | {code.upper(): letter.upper() for code, letter in lower.items()}


VNI_TO_UNICODE: dict[str, str] = _vni_table()
UNICODE_TO_VNI: dict[str, str] = {}
for _seq, _uni in sorted(VNI_TO_UNICODE.items(), key=lambda kv: len(kv[0])):
    UNICODE_TO_VNI.setdefault(_uni, _seq)  # prefer the shortest sequence (ơ -> "ô", not "ô" + mark)


def _regex(table: dict[str, str]) -> re.Pattern[str]:
    keys = sorted(table, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys))


_TCVN3_RE = _regex(TCVN3_TO_UNICODE)
_TCVN3_CODES = set(TCVN3_TO_UNICODE) | {"\u00a0"}
_VNI_CODES = {ch for seq in VNI_TO_UNICODE for ch in seq if ord(ch) > 0x9F} | {"\u00a0"}
_VNI_RE = _regex(VNI_TO_UNICODE)


def decode_tcvn3(text: str) -> str:
    return _TCVN3_RE.sub(lambda m: TCVN3_TO_UNICODE[m.group(0)], text)


def decode_vni(text: str) -> str:
    return _VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text)


def encode_tcvn3(text: str) -> str:
    """Unicode -> TCVN3 characters (for tests and fixtures). Toned capitals become lower case."""
    text = unicodedata.normalize("NFC", text)
    return "".join(UNICODE_TO_TCVN3.get(ch) or UNICODE_TO_TCVN3.get(ch.lower(), ch) for ch in text)


def encode_vni(text: str) -> str:
    """Unicode -> VNI characters (for tests and fixtures)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(UNICODE_TO_VNI.get(ch, ch) for ch in text)


# --- Detection ---------------------------------------------------------------------------------------
# Frequent Vietnamese syllables that carry diacritics: a decoding that produces many of them is right.
_COMMON = frozenset(
    ["của", "và", "các", "được", "những", "người", "một", "không", "để", "với", "năm", "ngày", "tỉnh", "việc", "thực", "hiện", "đến", "về", "này", "có", "là", "đã", "sở", "định", "kế", "hoạch", "nhân", "dân", "nhà", "nước", "chủ", "trì", "phối", "hợp", "tháng", "báo", "cáo", "số", "tài", "chính", "đầu", "tư", "ủy", "quyết", "nghị", "xã", "hội", "phát", "triển", "công", "tác", "cơ", "quan", "đơn", "vị", "địa", "phương", "tổ", "chức", "tiếp", "tục", "đảm", "bảo", "giải", "pháp", "nhiệm", "vụ"]
)
_WORD = re.compile(r"\w+")
# Letters that only Unicode Vietnamese text has (not in Latin-1).
_UNICODE_VI = re.compile(r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_HIGH_LATIN1 = re.compile(r"[\u00a0-\u00ff]")


def vietnamese_score(text: str) -> int:
    return sum(1 for w in _WORD.findall(text.lower()) if w in _COMMON)


def detect_legacy(text: str) -> str | None:
    """Return "tcvn3" or "vni" when ``text`` reads better decoded that way, else None."""
    sample = "\n".join(line for line in text.splitlines() if not _UNICODE_VI.search(line))[:20000]
    if not _HIGH_LATIN1.search(sample):
        return None
    base = vietnamese_score(sample)
    scores = {"tcvn3": vietnamese_score(decode_tcvn3(sample)), "vni": vietnamese_score(decode_vni(sample))}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > base else None


def to_unicode(text: str) -> str:
    """Convert the legacy-encoded lines of ``text`` (lines without Unicode Vietnamese letters)."""
    text = unicodedata.normalize("NFC", text)
    encoding = detect_legacy(text)
    if encoding is None:
        return text
    decode, codes = (decode_tcvn3, _TCVN3_CODES) if encoding == "tcvn3" else (decode_vni, _VNI_CODES)

    def legacy(line: str) -> bool:  # high characters only, and all of them codes of the encoding
        high = set(_HIGH_LATIN1.findall(line))
        return bool(high) and high <= codes and not _UNICODE_VI.search(line)

    return "\n".join(decode(line) if legacy(line) else line for line in text.split("\n"))


def decode_bytes(data: bytes) -> str:
    """Decode a plain-text file: UTF-8 (BOM or not), UTF-16, cp1258, TCVN3 or VNI bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif len(data) >= 4 and data.count(0) >= len(data) // 4:
        # UTF-16 without BOM: ASCII characters have a zero byte on one side.
        even_zeros = data[0::2].count(0)
        text = data.decode("utf-16-be" if even_zeros > data[1::2].count(0) else "utf-16-le", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            candidates = [unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))]
            latin = data.decode("latin-1")
            candidates += [decode_tcvn3(latin), decode_vni(latin)]
            text = max(candidates, key=vietnamese_score)  # first wins a tie: cp1258
            return unicodedata.normalize("NFC", text)
    return to_unicode(text)
