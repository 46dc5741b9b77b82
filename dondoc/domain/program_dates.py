"""Deadlines, recurrences, time limits and percentage targets in Vietnamese directive text. Pure Python.

Only worded deadlines count ("trước ngày 30/9/2020", "đến hết tháng 8/2020", "trong quý I/2020",
"tháng 02/2021", "đến hết năm 2020"): a bare date, such as the date of a cited document ("Thông tư số
01/2020/TT-NHNN ngày 13/3/2020"), is never a deadline. Every result keeps its literal wording.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_F = re.IGNORECASE
_DAY = r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})"
_MONTH = r"tháng\s+(?P<mm>\d{1,2})\s*(?:/|-|\s+năm\s+)(?P<my>\d{4})"
_QUARTER = r"quý\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:/|-|\s+năm\s+)(?P<qy>\d{4})"
_BY = r"đến\s+hết|đến\s+cuối|hết|cuối|trong|đến|tới"

# (pattern, rule, unit); rule "ignore" marks dates that block the shorter patterns inside them.
_PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(rf"\bsố\s+\d+[\w/\-]*\s*(?:ngày\s+)?(?:{_DAY})", _F), "ignore", "day"),
    (re.compile(rf"\btừ\s+(?:ngày\s+)?(?:{_DAY})", _F), "ignore", "day"),
    (re.compile(rf"\btừ\s+(?:{_MONTH}|{_QUARTER})", _F), "ignore", "month"),
    (re.compile(rf"\btrước\s+(?:ngày\s+)?(?:{_DAY})", _F), "before", "day"),
    (re.compile(rf"\b(?:đến\s+hết|đến|tới|chậm\s+nhất(?:\s+(?:là|vào|đến))?|hạn\s+chót|xong|hoàn\s+thành(?:\s+(?:vào|trong))?)"
                rf"\s+(?:ngày\s+)?(?:{_DAY})", _F), "by", "day"),
    (re.compile(rf"\bngày\s+(?:{_DAY})", _F), "ignore", "day"),
    (re.compile(rf"\btrước\s+{_MONTH}", _F), "before", "month"),
    (re.compile(rf"\b(?:(?:{_BY})\s+)?{_MONTH}", _F), "by", "month"),
    (re.compile(rf"\btrước\s+{_QUARTER}", _F), "before", "quarter"),
    (re.compile(rf"\b(?:(?:{_BY})\s+)?{_QUARTER}", _F), "by", "quarter"),
    (re.compile(r"\btrước\s+năm\s+(?P<yy>\d{4})", _F), "before", "year"),
    # "trong năm 2020" is a deadline only after "hoàn thành"/"xong" (else it is "the 2020 output" etc.).
    (re.compile(r"\b(?:đến\s+hết|đến\s+cuối|hết|cuối|đến|(?:hoàn\s+thành|xong)\s+trong)\s+năm\s+(?P<yy>\d{4})", _F),
     "by", "year"),
]
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class DateMatch:
    start: int
    end: int
    rule: str
    date: date
    literal: str


def _to_date(m: re.Match[str], rule: str, unit: str) -> date | None:
    g = m.groupdict()
    try:
        if unit == "day":
            if g.get("d"):
                return date(int(g["y"]), int(g["m"]), int(g["d"]))
            return date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        if unit == "month":
            y, mo = int(g["my"]), int(g["mm"])
            return date(y, mo, 1) if rule == "before" else date(y, mo, calendar.monthrange(y, mo)[1])
        if unit == "quarter":
            y, q = int(g["qy"]), _QUARTERS[g["q"].upper()]
            return date(y, 3 * q - 2, 1) if rule == "before" else date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
        y = int(g["yy"])
        return date(y, 1, 1) if rule == "before" else date(y, 12, 31)
    except (ValueError, TypeError, KeyError):
        return None


def find_dates(text: str) -> list[DateMatch]:
    """Deadline expressions in ``text``, left to right, without overlaps (the earliest, longest wins)."""
    found: list[tuple[int, int, str, str, re.Match[str]]] = []
    for pattern, rule, unit in _PATTERNS:
        for m in pattern.finditer(text):
            found.append((m.start(), -m.end(), rule, unit, m))
    found.sort(key=lambda f: (f[0], f[1]))
    out: list[DateMatch] = []
    last_end = -1
    for start, neg_end, rule, unit, m in found:
        if start < last_end:
            continue
        last_end = -neg_end
        if rule == "ignore":
            continue
        when = _to_date(m, rule, unit)
        if when:
            out.append(DateMatch(start, -neg_end, rule, when, m.group(0)))
    return out


# --- Recurrence ------------------------------------------------------------------------------------
_PERIOD_WORD = r"(?:(?:\d{1,2}|một|ba|sáu)\s+)?(?:tháng|quý|năm)"
_RECUR = re.compile(
    rf"\bđịnh\s+kỳ\s+(?:(?:hàng|hằng|mỗi)\s+)?{_PERIOD_WORD}(?:\s*(?:,|và|hoặc)\s*{_PERIOD_WORD})*"
    r"|\b(?:hàng|hằng|mỗi)\s+(?:tháng|quý|năm)\b",
    _F,
)
_ORDER = ["month", "quarter", "half_year", "year"]
_DAY_OF_MONTH = re.compile(r"\bngày\s+(\d{1,2})(?!\s*[/.\-]\s*\d)", _F)
_DAYS_OF_YEAR = re.compile(
    r"\b(?:trước\s+)?ngày\s+\d{1,2}/\d{1,2}(?!\s*/\s*\d)(?:\s*(?:,|và)\s*(?:ngày\s+)?\d{1,2}/\d{1,2}(?!\s*/\s*\d))*", _F
)


def _period(word: str) -> str | None:
    """ "tháng" -> month, "quý"/"3 tháng" -> quarter, "6 tháng" -> half_year, "năm"/"01 năm" -> year."""
    word = word.lower()
    if word.endswith("quý"):
        return "quarter"
    if word.endswith("năm"):
        return "year"
    n = re.match(r"(\d{1,2}|một|ba|sáu)\s+", word)
    months = ({"một": 1, "ba": 3, "sáu": 6}.get(n.group(1)) or int(n.group(1))) if n else 1
    return {1: "month", 3: "quarter", 6: "half_year", 12: "year"}.get(months)


def find_recurrence(clause: str) -> dict | None:
    """``{"every", "days", "literal"}`` for a clause such as "định kỳ hàng tháng … trước ngày 25"."""
    cues = list(_RECUR.finditer(clause))
    if not cues:
        return None
    periods = [p for m in cues for p in (_period(w) for w in re.findall(_PERIOD_WORD, m.group(0), _F)) if p]
    if not periods:
        return None
    every = min(periods, key=_ORDER.index)  # two periods in one phrase: the shorter one
    start, end = cues[0].start(), cues[-1].end()
    days: list[int | str] = []
    yearly = _DAYS_OF_YEAR.search(clause)
    if yearly:
        days = [f"{int(d):02d}/{int(m):02d}" for d, m in re.findall(r"(\d{1,2})/(\d{1,2})", yearly.group(0))]
        every = {1: "year", 2: "half_year", 4: "quarter"}.get(len(days), every)
        start, end = min(start, yearly.start()), max(end, yearly.end())
    elif every == "month":
        for m in _DAY_OF_MONTH.finditer(clause):
            days.append(int(m.group(1)))
            start, end = min(start, m.start()), max(end, m.end())
    literal = clause[start:end]
    tail = re.match(r"\s+(?:hàng|hằng)\s+(?:tháng|quý|năm)", clause[end:], _F)  # "... trước ngày 25 hàng tháng"
    if tail:
        literal += tail.group(0)
    return {"every": every, "days": days, "literal": literal.strip()}


# --- Time limits -----------------------------------------------------------------------------------
_TIME_LIMIT = re.compile(
    r"\b(?:trong\s+(?:thời\s+hạn\s+|vòng\s+|thời\s+gian\s+)?(?:tối\s+đa\s+|không\s+quá\s+)?|chậm\s+nhất\s+(?:là\s+)?"
    r"(?:sau\s+)?|không\s+quá\s+)(?P<n>\d{1,3})\s+ngày(?P<kind>\s+làm\s+việc|\s+(?:theo\s+)?lịch)?"
    r"(?P<tail>\s+(?:kể|tính)\s+từ[^,;.\n]*)?",
    _F,
)


def find_time_limit(text: str) -> dict | None:
    """``{"days", "working", "literal"}`` for "trong thời hạn 05 ngày tính từ …"; working is None unless stated."""
    m = _TIME_LIMIT.search(text)
    if not m:
        return None
    kind = (m.group("kind") or "").strip().lower()
    working = True if "làm việc" in kind else (False if "lịch" in kind else None)
    return {"days": int(m.group("n")), "working": working, "literal": m.group(0).strip()}


# --- Targets ---------------------------------------------------------------------------------------
_PERCENT = re.compile(
    r"(?:\b(?P<op>trên|hơn|vượt|dưới|tối\s+thiểu|ít\s+nhất|không\s+dưới|không\s+thấp\s+hơn|tối\s+đa|không\s+quá)\s+)?"
    r"(?P<n>\d{1,3}(?:[.,]\d+)?)\s*%(?P<rest>\s*trở\s+lên)?",
    _F,
)
_OPS = {"trên": ">", "hơn": ">", "vượt": ">", "dưới": "<", "tối thiểu": ">=", "ít nhất": ">=", "không dưới": ">=",
        "không thấp hơn": ">=", "tối đa": "<=", "không quá": "<="}
_OF = re.compile(r"\s*([^,;.()\n]*)")
_OF_STOP = re.compile(r"(?:^|\s+)(?:trước|đến|tới|vào|trong|để|thì|so|tính|kể|và|nhằm|của)\b.*$", _F)
_CONTEXT = re.compile(r"^(?:[-+•]\s*)?đối\s+với\s+(?P<x>[^:]+):", _F)


def _abbreviate(measure: str) -> str:
    return re.sub(r"^kế\s+hoạch\b", "KH", measure.strip(), flags=_F)


@dataclass
class Clause:
    start: int
    text: str
    context: str | None  # the "Đối với …:" subject of the line


_CLAUSE_SPLIT = re.compile(r";|\n|(?<=[.!?])\s+")


def clauses(text: str) -> list[Clause]:
    out: list[Clause] = []
    line_context: str | None = None
    pos = 0
    for m in [*_CLAUSE_SPLIT.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        line_start = pos == 0 or text[pos - 1] == "\n"
        if line_start:
            ctx = _CONTEXT.match(chunk.strip())
            line_context = _abbreviate(ctx.group("x")) if ctx else None
        if chunk.strip():
            out.append(Clause(pos, chunk, line_context))
        pos = m.end() if m else end
    return out


def _of(text: str, end: int, context: str | None) -> tuple[str | None, int]:
    """The measure a percentage is of ("KH vốn năm 2020") and the end of its wording in ``text``."""
    m = _OF.match(text, end)
    measure = _OF_STOP.sub("", m.group(1)).rstrip() if m else ""
    words = measure.split()[:8]
    stop = end + len(m.group(0)) - len(m.group(1)) + len(measure) if m and len(words) == len(measure.split()) else end
    measure = " ".join(words)
    if context and (not measure or context.lower().startswith(measure.lower())):
        return context, stop
    return measure or None, stop


def extract_schedule(text: str) -> tuple[list[dict], dict | None, dict | None, list[dict]]:
    """(due, recurrence, time_limit, targets) of a task text. A target's date is not repeated in due."""
    due: list[dict] = []
    targets: list[dict] = []
    recurrence = None
    for clause in clauses(text):
        dates = find_dates(clause.text)
        used: set[int] = set()
        for pm in _PERCENT.finditer(clause.text):
            if not dates:
                break
            nearest = min(range(len(dates)), key=lambda i: min(abs(dates[i].start - pm.end()),
                                                                abs(dates[i].end - pm.start())))
            dm = dates[nearest]
            used.add(nearest)
            op = _OPS.get(" ".join((pm.group("op") or "").lower().split()), "=")
            if pm.group("rest"):
                op = ">="
            n = float(pm.group("n").replace(",", "."))
            of, of_end = _of(clause.text, pm.end(), clause.context)
            lo, hi = min(pm.start(), dm.start), max(pm.end(), dm.end, of_end)
            targets.append({
                "percent": int(n) if n.is_integer() else n,
                "op": op,
                "by": dm.date.isoformat(),
                "of": of,
                "literal": clause.text[lo:hi].strip(),
            })
        for i, dm in enumerate(dates):
            entry = {"date": dm.date.isoformat(), "rule": dm.rule, "literal": dm.literal.strip()}
            if i not in used and entry not in due:
                due.append(entry)
        if recurrence is None:
            recurrence = find_recurrence(clause.text)
    return due, recurrence, find_time_limit(text), targets
