"""Which language to answer a post in."""

from __future__ import annotations

import re

from nlp.arabizi import is_arabizi_post

_ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_ANY_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9']*[A-Za-z][A-Za-z0-9']*")


def reply_language(text: str) -> str:
    """``"en"`` for a post written in English, else ``"ar"``.

    Arabizi is Arabic written in Latin letters: its writers read Arabic, so
    they are answered in Arabic.
    """
    if not _ANY_LATIN.search(text):
        return "ar"
    arabic_letters = len(_ARABIC_LETTER.findall(text))
    latin_words = [w.lower() for w in _LATIN_WORD.findall(text)]
    latin_letters = sum(len(w) for w in latin_words)
    if latin_letters <= arabic_letters or is_arabizi_post(latin_words):
        return "ar"
    return "en"
