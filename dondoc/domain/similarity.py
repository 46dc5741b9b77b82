"""Similarity of Vietnamese texts, for suggesting duplicate petitions. Pure Python (no Django).

Texts are compared on ``text.search_key`` (NFC, new tone placement, lower case, no diacritics, đ→d), so
"Giải phóng mặt bằng" and "giai phong mat bang" are the same words. Common abbreviations are expanded
("GPMB" → "giai phong mat bang", "QL" → "quoc lo"), punctuation dropped, and the boilerplate words every
petition shares ("đề nghị", "kiến nghị", "của", "các" …) removed, so that two unrelated petitions do not
look alike just because both "đề nghị … của doanh nghiệp".

The score (0–100) is rapidfuzz's token-set ratio (one text's words contained in the other's) averaged with
its token-sort ratio (the whole texts alike, whatever the word order): a short petition repeated inside a
long one scores high, and a long text sharing a few words with a short one does not reach 100.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz

from .text import search_key

K = TypeVar("K")

THRESHOLD = 70.0  # suggest from this score up (unrelated petitions of one province score 40–65)
LIMIT = 5

_NON_WORD = re.compile(r"[^0-9a-z]+")
ABBREVIATIONS = {
    "gpmb": "giai phong mat bang",
    "ql": "quoc lo",
    "tl": "tinh lo",
    "tx": "thi xa",
    "tp": "thanh pho",
    "dn": "doanh nghiep",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tnhh": "trach nhiem huu han",
    "mtv": "mot thanh vien",
    "cp": "co phan",
    "nsnn": "ngan sach nha nuoc",
    "tndn": "thu nhap doanh nghiep",
    "gtgt": "gia tri gia tang",
    "tthc": "thu tuc hanh chinh",
    "gcn": "giay chung nhan",
    "qsdd": "quyen su dung dat",
    "bhxh": "bao hiem xa hoi",
}
_STOP = ("de nghi kien xin va cua cac cho ve viec tai voi la duoc trong theo da nhung mot nay "
         "khi se dang can phai hoac con nhu tu den bi")
STOPWORDS = frozenset(_STOP.split(" "))


def normalise(text: str) -> str:
    """The comparable form: folded, abbreviations expanded, punctuation and boilerplate words removed."""
    words = []
    for word in _NON_WORD.split(search_key(text)):
        if not word:
            continue
        for part in ABBREVIATIONS.get(word, word).split():
            if part not in STOPWORDS:
                words.append(part)
    return " ".join(words)


def _score(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return round((fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2, 1)


def score(a: str, b: str) -> float:
    """Similarity of two raw texts, 0–100 (100: the same words once normalised)."""
    return _score(normalise(a), normalise(b))


@dataclass(frozen=True)
class Match(Generic[K]):
    key: K
    score: float


def similar(text: str, candidates: Iterable[tuple[K, str]], *, threshold: float = THRESHOLD,
            limit: int = LIMIT) -> list[Match[K]]:
    """The candidates (key, text) scoring at least ``threshold`` against ``text``, best first (ties keep
    the candidates' order)."""
    return similar_normalised(normalise(text), ((key, normalise(other)) for key, other in candidates),
                              threshold=threshold, limit=limit)


def similar_normalised(query: str, candidates: Iterable[tuple[K, str]], *, threshold: float = THRESHOLD,
                       limit: int = LIMIT) -> list[Match[K]]:
    """``similar`` on texts already ``normalise``d (stored next to each candidate, so a search does not fold
    every text again)."""
    if not query:
        return []
    found = []
    for key, other in candidates:
        s = _score(query, other)
        if s >= threshold:
            found.append(Match(key, s))
    found.sort(key=lambda m: -m.score)
    return found[:limit]
