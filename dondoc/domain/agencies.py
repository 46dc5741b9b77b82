"""Agency name resolution: any spelling of an agency or group name -> its registry code. Pure Python.

Names are compared after ``text.fold`` (NFC, new-style tones, lower case) and a few expansions of the
abbreviations documents use ("UBND", "HĐND", "PTNT", "&"). A name qualified with its province
("Sở Tài chính tỉnh Yên Bái") or preceded by a title ("Giám đốc Sở Tài chính") resolves like the bare
name, so generic department names map to the same codes in any province.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .text import fold

_EXPANSIONS = [
    (re.compile(r"\bubnd\b"), "ủy ban nhân dân"),
    (re.compile(r"\bhđnd\b"), "hội đồng nhân dân"),
    (re.compile(r"\bptnt\b"), "phát triển nông thôn"),
    (re.compile(r"\s*&\s*"), " và "),
    (re.compile(r"\s*,\s*"), ", "),
    (re.compile(r"[.;:]+$"), ""),
]
_TITLES = re.compile(r"^(giám đốc|thủ trưởng|chủ tịch|lãnh đạo|trưởng ban|trưởng)\s+")
_PROVINCE_SUFFIX = re.compile(r"\s+tỉnh(\s+[^\s,]+)+$")
_TRAILING_TINH = re.compile(r"\s+tỉnh$")


def name_key(name: str) -> str:
    """The comparison key of a name: folded, with abbreviations expanded."""
    key = fold(name)
    for pattern, repl in _EXPANSIONS:
        key = pattern.sub(repl, key)
    return key.strip()


def _candidates(key: str) -> list[str]:
    """The key, then progressively less qualified variants of it."""
    out = [key]
    untitled = _TITLES.sub("", key)
    for k in (key, untitled):
        short = _PROVINCE_SUFFIX.sub(" tỉnh", k)
        bare = _TRAILING_TINH.sub("", short)
        for c in (k, short, bare):
            if c not in out:
                out.append(c)
    return out


@dataclass(frozen=True)
class Entry:
    code: str
    names: tuple[str, ...]


@dataclass
class Registry:
    """Lookup table of agency and group names. Group codes start with '@'."""

    entries: list[Entry]
    _index: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for name in entry.names:
                key = name_key(name)
                other = self._index.get(key)
                if other and other != entry.code:
                    raise ValueError(f"name {name!r} is claimed by both {other} and {entry.code}")
                self._index[key] = entry.code

    @classmethod
    def from_reference(cls, data: dict) -> Registry:
        """Build from the reference JSON layout (``agencies`` and ``groups`` lists)."""
        entries = [
            Entry(a["code"], (a["name"], *a.get("aliases", []), *a.get("former_names", [])))
            for a in data.get("agencies", [])
        ]
        entries += [Entry(g["code"], (g["name"], *g.get("phrases", []))) for g in data.get("groups", [])]
        return cls(entries)

    def resolve(self, name: str) -> str | None:
        """Return the code for ``name``, or None when it is not a registry agency or group."""
        for key in _candidates(name_key(name)):
            code = self._index.get(key)
            if code:
                return code
        return None

    def names(self) -> list[str]:
        """Every known key, longest first (for scanning text)."""
        return sorted(self._index, key=len, reverse=True)


def resolve_all(registry: Registry, names: Iterable[str]) -> list[tuple[str, str | None]]:
    return [(n, registry.resolve(n)) for n in names]
