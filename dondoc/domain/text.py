"""Vietnamese text folding, search keys and collation. Pure Python.

- ``nfc``: Unicode NFC.
- ``fold_tone``: old tone placement ("hoà", "Uỷ") to the new one ("hòa", "Ủy").
- ``fold``: the matching key: NFC, new tone placement, lower case, one space.
- ``search_key``: ``fold`` without diacritics, "đ" -> "d" ("so tai chinh").
- ``sort_key``: Vietnamese dictionary order (a ă â b c d đ e ê …; tones after letters).
"""

from __future__ import annotations

import re
import unicodedata

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng (combining)
# In NFD, an old-style tone sits on the 2nd vowel of "oa", "oe", "uy" at the end of a syllable.
# "qu" + y keeps its tone on y ("quý") in both styles.
_OLD_TONE = re.compile(rf"(?i)(?<![q])(o)([ae])([{_TONES}])(?!\w)|(?<![q])(u)(y)([{_TONES}])(?!\w)")
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212-]\s*")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _move_tone(m: re.Match[str]) -> str:
    if m.group(1):
        return m.group(1) + m.group(3) + m.group(2)
    return m.group(4) + m.group(6) + m.group(5)


def fold_tone(text: str) -> str:
    """Rewrite old-style tone placement to the new style, returning NFC text."""
    decomposed = unicodedata.normalize("NFD", text)
    return nfc(_OLD_TONE.sub(_move_tone, decomposed))


def fold(text: str) -> str:
    """Matching key: NFC, new-style tones, lower case, single spaces, ' - ' for any dash."""
    text = fold_tone(text).lower()
    text = _DASHES.sub(" - ", text)
    return _SPACES.sub(" ", text).strip()


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(text: str) -> str:
    """Accent-free lower-case key so that "so tai chinh" finds "Sở Tài chính"."""
    return strip_diacritics(fold(text))


_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Dictionary order of tones: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # applied to base a/o/u/e


def _split_letter(ch: str) -> tuple[str, str]:
    """Return (letter without tone, tone mark) for one lower-case character."""
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    tone = "".join(m for m in marks if m in _TONE_RANK)
    shape = [m for m in marks if m not in _TONE_RANK]
    letter = unicodedata.normalize("NFC", base + "".join(shape))
    return letter, tone


def sort_key(text: str) -> tuple:
    """Key that sorts Vietnamese names as a dictionary does ("Đ" after "D", "Ư" after "U")."""
    primary: list[tuple[int, int | str]] = []
    tones: list[int] = []
    for ch in fold(text):
        letter, tone = _split_letter(ch)
        rank = _RANK.get(letter)
        if rank is None:
            # Digits and punctuation sort before letters, by code point.
            primary.append((0, letter))
        else:
            primary.append((1, rank))
        tones.append(_TONE_RANK.get(tone, 0))
    return (tuple(primary), tuple(tones))
