"""Arabizi (Arabic written in Latin letters and digits) to Arabic script.

``3ayez a7gez maw3ed`` shares no characters with ``عايز احجز موعد``, so a
model trained mostly on Arabic script would see an Arabizi post as noise.
This module gives such posts a rough Arabic-script reading: consonant
skeletons are what Arabic spelling keeps, so dropping most short vowels
lands close to the real spelling (``maw3ed`` → ``موعد``, ``a7gez`` →
``احجز``).  The reading is added beside each Latin word, not instead of it,
so code-switched English words (``appointment``) keep their own features.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ANY_LATIN = re.compile(r"[a-z]")
_LATIN_WORD = re.compile(r"(?<![\w])[a-z0-9']*[a-z][a-z0-9']*(?![\w])")
# Digits standing for letters inside a word: 3ayez, a7gez, el5ames, 9ba7.
_DIGIT_LETTER = re.compile(r"[a-z][2356789]|[2356789][a-z]")
# Numbers with unit or ordinal suffixes are English, not Arabizi: 2nd, 5pm, 24h, 500mg.
_NUMERIC_WORD = re.compile(r"^\d+(?:st|nd|rd|th|am|pm|h|hr|hrs|min|mins|mg|ml|k|m|kg|g|x|s)?$")
# Frequent Arabizi function and everyday words that carry no digit.
_ARABIZI_WORDS = frozenset("""
el al il ana ana enta inta enti inti ya wain wein fen feen fein shu esh eish shno shnu
shlon leh lesh laish lih mafi mafee mafish mesh msh mish mo mu bas bs wala walla
wallah wallahi inshallah insha2allah yalla ya3ni yaani keda kda kaman kaman lazem lazim
bedi biddi abi abgha abga abghi ayez 3ayez 3ayz awez mabi ma ba3d hal hatha hadha da
di dah dol el7in alhin hala halla hassa halla2 lissa lsa mawjood mawjud tab tayeb
""".split())

_DIGRAPHS = (
    ("3'", "غ"), ("7'", "خ"), ("sh", "ش"), ("ch", "ش"), ("kh", "خ"), ("gh", "غ"),
    ("th", "ث"), ("dh", "ذ"), ("aa", "ا"), ("ee", "ي"), ("ii", "ي"), ("oo", "و"),
    ("ou", "و"), ("ei", "ي"), ("ai", "ي"),
)
_LETTERS = {
    "2": "ء", "3": "ع", "5": "خ", "6": "ط", "7": "ح", "8": "ق", "9": "ص",
    "b": "ب", "t": "ت", "g": "ج", "j": "ج", "h": "ه", "d": "د", "r": "ر", "z": "ز",
    "s": "س", "f": "ف", "q": "ق", "k": "ك", "l": "ل", "m": "م", "n": "ن", "w": "و",
    "y": "ي", "v": "ف", "p": "ب", "x": "كس", "c": "ك",
}
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=1 << 16)  # pure, and words repeat: bulk scoring asks about the same ones
def is_arabizi_word(word: str) -> bool:
    """True for a Latin word that is almost surely Arabizi."""
    if word in _ARABIZI_WORDS:
        return True
    return bool(_DIGIT_LETTER.search(word)) and not _NUMERIC_WORD.match(word)


def is_arabizi_post(latin_words: list[str]) -> bool:
    """A post is Arabizi when enough of its Latin words are.

    One marked word in a long English sentence (``wallah``) does not make it
    Arabizi; two marked words, or one in a post of at most three Latin
    words, does.
    """
    marked = sum(1 for word in latin_words if is_arabizi_word(word))
    if not marked:
        return False
    return marked >= max(2, len(latin_words) // 5) or len(latin_words) <= 3


@lru_cache(maxsize=1 << 16)
def transliterate_word(word: str) -> str:
    """Read one Arabizi word as Arabic script, keeping consonants and long vowels."""
    if word in ("el", "al", "il"):
        return "ال"
    if word[:2] in ("el", "al") and len(word) > 3:
        return "ال" + transliterate_word(word[2:])
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2]
        for latin, arabic in _DIGRAPHS:
            if pair == latin:
                out.append(arabic)
                i += 2
                break
        else:
            char = word[i]
            if char in _VOWELS:
                out.append(_vowel(char, first=i == 0, last=i == len(word) - 1))
            else:
                out.append(_LETTERS.get(char, ""))
            i += 1
    return "".join(out)


def _vowel(char: str, *, first: bool, last: bool) -> str:
    """Short vowels are not written in Arabic; word-initial and final ones mostly are."""
    if first:
        return "ا"
    if char in "ou":
        return "و"
    if last:
        return "ا" if char == "a" else "ي" if char == "i" else ""
    return "ي" if char == "i" else ""


def transliterate_arabizi_post(text: str) -> str:
    """Add an Arabic-script reading after each Latin word of an Arabizi post.

    Expects lowercased text.  Posts that are not Arabizi come back unchanged.
    """
    if not _ANY_LATIN.search(text):
        return text
    latin_words = _LATIN_WORD.findall(text)
    if not latin_words or not is_arabizi_post(latin_words):
        return text
    return _LATIN_WORD.sub(lambda m: f"{m.group(0)} {transliterate_word(m.group(0))}", text)
