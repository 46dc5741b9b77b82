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


def candidates(key: str) -> list[str]:
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
    aliases: tuple[str, ...] = ()  # weaker than names: an alias never overrides another entry's name


@dataclass
class Registry:
    """Lookup table of agency and group names. Group codes start with '@'.

    ``strict`` (the shipped reference data) refuses a name claimed by two codes. Otherwise (the registry in the
    database, which people edit) a clash never stops a reader: an alias that is another entry's name is
    ignored, a name or alias claimed by two entries resolves to nothing, and each clash is listed in
    ``conflicts`` for the caller to report.
    """

    entries: list[Entry]
    strict: bool = True
    _index: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    conflicts: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        ambiguous: set[str] = set()
        for weak in (False, True):
            strong_keys = set(self._index) | ambiguous
            for entry in self.entries:
                for name in entry.aliases if weak else entry.names:
                    key = name_key(name)
                    other = self._index.get(key)
                    if key in ambiguous or other is None or other == entry.code:
                        if key not in ambiguous:
                            self._index[key] = entry.code
                        continue
                    if self.strict:
                        raise ValueError(f"name {name!r} is claimed by both {other} and {entry.code}")
                    self.conflicts.append(f"{name!r}: {other}, {entry.code}")
                    if weak and key in strong_keys:
                        continue  # another entry's name wins over this alias
                    ambiguous.add(key)
                    del self._index[key]

    @classmethod
    def from_reference(cls, data: dict, *, strict: bool = True) -> Registry:
        """Build from the reference JSON layout (``agencies`` and ``groups`` lists)."""
        entries = [
            Entry(a["code"], (a["name"], *a.get("former_names", [])), tuple(a.get("aliases", [])))
            for a in data.get("agencies", [])
        ]
        entries += [Entry(g["code"], (g["name"], *g.get("phrases", []))) for g in data.get("groups", [])]
        return cls(entries, strict)

    def resolve(self, name: str) -> str | None:
        """Return the code for ``name``, or None when it is not a registry agency or group."""
        for key in candidates(name_key(name)):
            code = self._index.get(key)
            if code:
                return code
        return None

    def names(self) -> list[str]:
        """Every known key, longest first (for scanning text)."""
        return sorted(self._index, key=len, reverse=True)


def resolve_all(registry: Registry, names: Iterable[str]) -> list[tuple[str, str | None]]:
    return [(n, registry.resolve(n)) for n in names]
