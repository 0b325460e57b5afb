"""Arabic social-media text normalization.

Posts reach Rasd as people type them: diacritics or none, hamzas or none,
elongated letters, Arabic-Indic digits, hashtags, links, phone numbers,
Arabizi.  Each function here removes one kind of variation that carries no
meaning for triage, so that the model sees one spelling where people write
many.  ``normalize`` composes them in an order that matters (see its
docstring).  CAMeL Tools does the Arabic-specific work; this module only
wraps it.
"""

from __future__ import annotations

import re
import unicodedata

import regex
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

from nlp.arabizi import transliterate_arabizi_post

URL_TOKEN = "_url_"
MENTION_TOKEN = "_mention_"
EMAIL_TOKEN = "_email_"
PHONE_TOKEN = "_phone_"
NUMBER_TOKEN = "_idnum_"

_TATWEEL = "\u0640"
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_EASTERN_DIGIT = re.compile(r"[٠-٩۰-۹]")
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|sa|gov|ly|me|co|io|ae|kw|eg|qa|om|bh)\b(?:/\S*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_MENTION = re.compile(r"@\w+")
# International (+966…, 00971…) or local numbers starting with 0 (05x, 010…),
# spaces and dashes allowed; national IDs (1xxxxxxxxx) are left to _LONG_NUMBER.
_PHONE = re.compile(r"(?<![\d\w])(?:(?:\+|00)\d(?:[\s-]?\d){7,13}|0\d(?:[\s-]?\d){7,10})(?!\d)")
# Long digit runs are file, national-ID and reference numbers: the value is noise,
# the fact that one is given is a signal (service requests carry them).
_LONG_NUMBER = re.compile(r"\d{5,}")
_HASHTAG = re.compile(r"#(\w+)")
_REPEATED_CHAR = re.compile(r"(.)\1\1+")
_REPEATED_PUNCT = re.compile(r"([!?؟.,،])\1+")
_EMOJI = regex.compile(r"(\p{Extended_Pictographic})(?:\p{Emoji_Modifier}|\uFE0F|\u200D)*")
_PUNCT = re.compile(r"([!?؟.,،:;\"'()\[\]{}«»…/\\|*+=<>~^-])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_URL_HINT = re.compile(r"https?:|www\.|\.(?:com|net|org|sa|gov|ly|me|co|io|ae|kw|eg|qa|om|bh)\b",
                       re.IGNORECASE)


def remove_control_characters(text: str) -> str:
    """Control, zero-width and bidi-override characters: invisible, but they split words."""
    return _CONTROL.sub(" ", text)


def normalize_unicode_form(text: str) -> str:
    """NFKC, so that presentation forms (ﻻ, ﷺ) become ordinary letters."""
    if unicodedata.is_normalized("NFKC", text):  # most posts: skip the per-character pass
        return text
    return normalize_unicode(text)


def remove_diacritics(text: str) -> str:
    """Drop tashkeel and tatweel: almost nobody writes them, so they only split spellings."""
    return dediac_ar(text).replace(_TATWEEL, "")


def normalize_letters(text: str) -> str:
    """Unify alef forms, alef maksura and teh marbuta, the letters people swap most."""
    return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text)))


def normalize_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII, so numbers look alike whoever typed them."""
    return text.translate(_DIGITS) if _EASTERN_DIGIT.search(text) else text


def replace_urls(text: str) -> str:
    return _URL.sub(f" {URL_TOKEN} ", text) if _URL_HINT.search(text) else text


def replace_emails(text: str) -> str:
    return _EMAIL.sub(f" {EMAIL_TOKEN} ", text) if "@" in text else text


def replace_mentions(text: str) -> str:
    """Who was tagged varies endlessly; that someone was tagged is the signal."""
    return _MENTION.sub(f" {MENTION_TOKEN} ", text)


def replace_phone_numbers(text: str) -> str:
    return _PHONE.sub(f" {PHONE_TOKEN} ", text)


def replace_long_numbers(text: str) -> str:
    return _LONG_NUMBER.sub(f" {NUMBER_TOKEN} ", text)


def split_hashtags(text: str) -> str:
    """``#وزارة_الصحة`` → ``وزارة الصحة``: a hashtag is words that lost their spaces."""
    return _HASHTAG.sub(lambda m: " " + m.group(1).replace("_", " ") + " ", text)


def collapse_elongation(text: str) -> str:
    """كثيييير → كثير and ``!!!!`` → ``!``.

    Three or more of the same letter never occur in real spelling, so they
    are collapsed to one; doubled letters (الله, ممتاز) are left alone.
    """
    return _REPEATED_PUNCT.sub(r"\1", _REPEATED_CHAR.sub(_collapse_run, text))


def _collapse_run(match: re.Match) -> str:
    run = match.group(0)
    return run if run[0].isdigit() or run[0].isspace() else run[0]


def separate_emoji(text: str) -> str:
    """Stand each emoji apart as a token of its own, skin-tone modifiers dropped."""
    return _EMOJI.sub(lambda m: f" {m.group(1)} ", text)


def separate_punctuation(text: str) -> str:
    return _PUNCT.sub(r" \1 ", text)


def lowercase_latin(text: str) -> str:
    return text.lower()


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def normalize(text: str) -> str:
    """Return the normalized form of one post.

    Order matters: invisible characters, Unicode and digits first so every later pattern sees one
    form; e-mails before links and mentions (an address holds both a
    domain and an ``@``); links before hashtags (links contain ``#``); numbers after links so a link's digits
    stay inside the link; hashtags before elongation so their words are
    treated like any others; Arabizi after lowercasing so its rules see one
    case, and before the Arabic letter rules so its output is unified too.
    """
    text = remove_control_characters(text)
    text = normalize_unicode_form(text)
    text = normalize_digits(text)
    text = replace_emails(text)
    text = replace_urls(text)
    text = replace_mentions(text)
    text = replace_phone_numbers(text)
    text = replace_long_numbers(text)
    text = split_hashtags(text)
    text = lowercase_latin(text)
    text = collapse_elongation(text)
    text = transliterate_arabizi_post(text)
    text = remove_diacritics(text)
    text = normalize_letters(text)
    text = separate_emoji(text)
    text = separate_punctuation(text)
    return collapse_spaces(text)
