"""Find the agencies a directive names: leads ("Giao Sở X chủ trì", a heading "1.5. Sở Công Thương") and
coordinators ("phối hợp với X, Y và Z"). Pure Python.

An actor is a registry agency or group (its code), a vague actor kept as written ("các cơ quan, đơn vị
liên quan"), or a named outside body kept as written ("Tổng công ty đường sắt Việt Nam"). A generic group
followed by "liên quan" ("các sở, ngành và địa phương liên quan") means the relevant ones only, so the
whole phrase stays vague rather than being expanded to every member of the group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from .agencies import Registry, name_key
from .text import fold

_F = re.IGNORECASE
_TOKEN = re.compile(r"\w+(?:[&'’\-]\w+)*|[^\w\s]")
_TITLE = re.compile(r"(?:giám\s+đốc|thủ\s+trưởng|chủ\s+tịch|lãnh\s+đạo|trưởng\s+ban)\s+", _F)
_QUALIFIER = re.compile(r"\s+(?:cấp\s+tỉnh|tỉnh(?:\s+[A-ZĐ]\w*){0,2})(?!\w)")
_RELATED = re.compile(r"\s+(?:có\s+)?liên\s+quan(?!\w)", _F)
_HEAD = (r"(?:cơ\s+quan(?:\s+(?:chuyên\s+môn|chức\s+năng|báo\s+chí|nhà\s+nước))?|đơn\s+vị|địa\s+phương|ngành|cấp|sở"
         r"|tổ\s+chức|cá\s+nhân|doanh\s+nghiệp|đoàn\s+thể|phòng|nhà\s+thầu|hiệp\s+hội|hội)")
_VAGUE = re.compile(
    rf"(?:(?:thủ\s+trưởng|lãnh\s+đạo)\s+)?(?:(?:các|những)\s+)?{_HEAD}(?:\s*(?:,|và)\s*(?:(?:các|những)\s+)?{_HEAD})*"
    r"(?P<qual>(?:\s+(?:có\s+liên\s+quan|liên\s+quan|trên\s+địa\s+bàn(?:\s+tỉnh|\s+huyện)?|cấp\s+tỉnh|cấp\s+huyện"
    r"|trong\s+tỉnh|thuộc\s+tỉnh))*)(?!\w)",
    _F,
)
_SEP = re.compile(r"\s*(?:,|;|\bvà\b|\bcùng\s+với\b|\bcùng\b)\s*", _F)
_PLURAL = re.compile(r"(?:các|những)\s", _F)
# Verbs and prepositions that end a name kept as written ("tỉnh bạn, …", "Tổng công ty X phối hợp …").
_STOP_WORDS = {"trong", "để", "nhằm", "về", "cho", "khi", "nếu", "tại", "đã", "sẽ", "đang", "thì", "lập"}
_STOP_PHRASES = {
    "tổng hợp", "đánh giá", "tham mưu", "thực hiện", "triển khai", "xử lý", "đẩy mạnh", "đẩy nhanh",
    "định hướng", "hướng dẫn", "tiếp tục", "rà soát", "đề xuất", "đề nghị", "theo dõi", "xây dựng",
    "tổ chức", "kiểm tra", "giải quyết", "đôn đốc", "báo cáo", "bảo đảm", "đảm bảo", "tháo gỡ", "thúc đẩy",
    "tạo điều", "hỗ trợ", "nghiên cứu", "cung cấp", "kịp thời", "chỉ đạo", "thống nhất", "tuyên truyền",
    "vận động", "quản lý", "hoàn thành", "tập trung", "trao đổi", "thường xuyên", "chủ trì", "phối hợp",
    "chủ động", "tăng cường", "giám sát", "thẩm định", "ban hành", "đặc biệt", "nhất là"
}
_PARTNER_CUE = re.compile(r"\bphối\s+hợp(?:\s+chặt\s+chẽ|\s+thường\s+xuyên|\s+tốt)?\s+(?:với|cùng)\s+", _F)
_GIAO = re.compile(r"(?:^|(?<=[\s,;:.(]))giao\s+(?:cho\s+)?", _F)
_LEAD_VERB = re.compile(r"\s*(?::|,?\s*(?:chủ\s+trì|làm\s+đầu\s+mối|là\s+cơ\s+quan\s+(?:chủ\s+trì|đầu\s+mối)))", _F)
# "bàn giao", "được giao", "đã giao" … are not assignments.
_NOT_GIAO = {"bàn", "được", "đã", "chuyển", "đấu", "trao", "bị", "giao"}


@dataclass
class Actor:
    value: str  # a registry code ("STC", "@SBN") or the name as written
    kind: str  # "agency", "group", "vague" or "named"
    start: int
    end: int


class ActorScanner:
    def __init__(self, registry: Registry) -> None:
        self.codes: dict[str, str] = {}
        for key in registry.names():
            code = registry.resolve(key)
            if code:
                self.codes[key] = code
        self.first_words = {key.split(" ")[0] for key in self.codes}
        self.max_tokens = max((len(_TOKEN.findall(k)) for k in self.codes), default=1) + 2

    # --- single actors -------------------------------------------------------------------------
    def agency_at(self, text: str, pos: int) -> Actor | None:
        title = _TITLE.match(text, pos)
        for start in (pos, title.end()) if title else (pos,):
            found = self._exact_at(text, start)
            if found:
                code, end = found
                if code.startswith("@"):
                    related = _RELATED.match(text, end)
                    if related and _PLURAL.match(text, start):
                        return Actor(text[pos:related.end()], "vague", pos, related.end())
                    return Actor(code, "group", pos, end)
                qualifier = _QUALIFIER.match(text, end)
                return Actor(code, "agency", pos, qualifier.end() if qualifier else end)
        return None

    def _exact_at(self, text: str, pos: int) -> tuple[str, int] | None:
        tokens = list(islice(_TOKEN.finditer(text, pos), self.max_tokens))
        if not tokens or tokens[0].start() != pos or not tokens[0].group()[0].isalnum():
            return None
        if name_key(tokens[0].group()).split(" ")[0] not in self.first_words:
            return None
        for j in range(len(tokens), 0, -1):
            if not tokens[j - 1].group()[0].isalnum():
                continue
            code = self.codes.get(name_key(text[pos:tokens[j - 1].end()]))
            if code:
                return code, tokens[j - 1].end()
        return None

    def vague_at(self, text: str, pos: int) -> Actor | None:
        m = _VAGUE.match(text, pos)
        return Actor(m.group(0), "vague", pos, m.end()) if m else None

    def named_at(self, text: str, pos: int, capitalised: bool) -> Actor | None:
        end = pos
        words = 0
        found = list(re.finditer(r"\w+(?:[&\-]\w+)*|\S", text[pos:pos + 200]))
        for i, m in enumerate(found):
            word = m.group()
            pair = f"{word} {found[i + 1].group()}" if i + 1 < len(found) else word
            if not word[0].isalnum() or fold(word) in _STOP_WORDS or fold(pair) in _STOP_PHRASES or words >= 8:
                break
            if words == 0 and capitalised and not word[0].isupper():
                return None
            end, words = pos + m.end(), words + 1
        return Actor(text[pos:end], "named", pos, end) if words else None

    # --- lists -----------------------------------------------------------------------------------
    def scan(self, text: str, pos: int, named: str | None = None) -> tuple[list[Actor], int]:
        """Actors listed from ``pos`` ("A, B và C"); ``named``: None, "capitalised" or "any" fallback."""
        items: list[Actor] = []
        while True:
            while pos < len(text) and text[pos].isspace():
                pos += 1
            actor = self.agency_at(text, pos) or self.vague_at(text, pos)
            if actor is None and named and not items:
                actor = self.named_at(text, pos, capitalised=named == "capitalised")
            if actor is None:
                break
            items.append(actor)
            pos = actor.end
            sep = _SEP.match(text, pos)
            if not sep:
                break
            after = sep.end()
            if not (self.agency_at(text, after) or self.vague_at(text, after)):
                break
            pos = after
        return _merge(text, items), pos

    def leads(self, text: str) -> list[str]:
        """Leads a directive names: "Giao X …", or "X chủ trì …" / "X: …" at the start of the text."""
        for m in _GIAO.finditer(text):
            before = text[:m.start()].split()
            if before and fold(before[-1]) in _NOT_GIAO:
                continue
            items, _ = self.scan(text, m.end(), named="capitalised")
            if any(a.kind in ("agency", "group") for a in items) or (items and items[0].kind == "named"):
                return _values(items)
        items, end = self.scan(text, 0)
        if items and _LEAD_VERB.match(text, end):
            return _values(items)
        return []

    def partners(self, text: str) -> list[str]:
        out: list[str] = []
        for m in _PARTNER_CUE.finditer(text):
            items, _ = self.scan(text, m.end(), named="any")
            out += [v for v in _values(items) if v not in out]
        return out

    def heading(self, text: str) -> list[str] | None:
        """The actors of a heading made only of actors ("Sở Kế hoạch và Đầu tư, Sở Tài chính"), else None."""
        items, end = self.scan(text, 0)
        if items and not text[end:].strip(" .:;"):
            return _values(items)
        return None


def _merge(text: str, items: list[Actor]) -> list[Actor]:
    """Join neighbouring vague actors, and generic groups followed by a "… liên quan" actor, into one name."""
    out: list[Actor] = []
    for actor in items:
        related = actor.kind == "vague" and _RELATED.search(actor.value)
        start = actor.start
        while out and (
            (out[-1].kind == "vague")
            or (related and out[-1].kind == "group" and _PLURAL.match(text, out[-1].start))
        ) and actor.kind == "vague":
            start = out.pop().start
        if start != actor.start:
            actor = Actor(text[start:actor.end], "vague", start, actor.end)
        out.append(actor)
    return out


def _values(items: list[Actor]) -> list[str]:
    out: list[str] = []
    for a in items:
        value = a.value if a.kind in ("agency", "group") else " ".join(a.value.split())
        if value not in out:
            out.append(value)
    return out
