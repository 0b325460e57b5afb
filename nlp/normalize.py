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
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

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
_EASTERN_DIGITS = re.compile(r"[٠-٩۰-۹]+")
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|sa|gov|ly|me|co|io|ae|kw|eg|qa|om|bh)\b(?:/\S*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_MENTION = re.compile(r"@\w+")
# International (+966…, 00971…) or local numbers starting with 0 (05x, 010…),
# spaces and dashes allowed between digits but never a line break, which
# separates posts in ``normalize_many``; national IDs (1xxxxxxxxx) are left
# to _LONG_NUMBER.  Each alternative starts with its first character and
# only then looks behind it, so the regex engine can skip to candidates.
_GAP_DIGIT = r"(?:(?:[^\S\n]|-)?\d)"
_PHONE = re.compile(rf"[+0](?<!\w.)(?:(?<=\+)\d|(?<=0)0\d){_GAP_DIGIT}{{7,13}}(?!\d)"
                    rf"|0(?<!\w.)\d{_GAP_DIGIT}{{7,10}}(?!\d)")
# Long digit runs are file, national-ID and reference numbers: the value is noise,
# the fact that one is given is a signal (service requests carry them).
_LONG_NUMBER = re.compile(r"\d{5,}")
_HASHTAG = re.compile(r"#(\w+)")
_REPEATED_CHAR = re.compile(r"(.)\1\1+")
_REPEATED_PUNCT = re.compile(r"([!?؟.,،])\1+")
_EMOJI = regex.compile(r"(\p{Extended_Pictographic})(?:\p{Emoji_Modifier}|\uFE0F|\u200D)*")
_PUNCT = re.compile(r"[!?؟.,،:;\"'()\[\]{}«»…/\\|*+=<>~^-]")
_SPACED_MARK = {mark: f" {mark} " for mark in "!?؟.,،:;\"'()[]{}«»…/\\|*+=<>~^-"}
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
    # Translating only the digit runs: str.translate is slow over a whole text.
    return _EASTERN_DIGITS.sub(_ascii_digits, text)


def _ascii_digits(match: re.Match) -> str:
    return match.group(0).translate(_DIGITS)


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
    # A lookup per match: half the cost of a group template (r" \1 ") on Python 3.11.
    return _PUNCT.sub(lambda mark: _SPACED_MARK[mark.group()], text)


def lowercase_latin(text: str) -> str:
    return text.lower()


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


_POST_BREAK = "\n"
_EVERY_POST = "every post"
# Where a step can apply at all (so these are cheap to search for): an ``@``;
# ``://``, ``www.`` or a top-level domain; a Latin letter that does not
# continue a word or a placeholder.  Each starts with a character class, so
# the regex engine jumps from candidate to candidate.
_MAY_HOLD_EMAIL = re.compile("@")
_MAY_HOLD_URL = re.compile(r"[:wW.](?:(?<=:)//|(?<=[wW])[wW]{2}\.|(?<=\.)(?i:"
                           r"com|net|org|sa|gov|ly|me|co|io|ae|kw|eg|qa|om|bh)\b)")
_MAY_BE_ARABIZI = re.compile(r"[a-z](?<![a-z_].)")
# The steps in the order ``normalize`` documents, each with where it runs.
# Most run once over the whole batch.  A step whose pattern is slow where it
# does not apply (it tries every word) runs only on the posts its hint
# finds; Unicode normalization decides per post whether it is needed at all.
_STEPS = (
    (remove_control_characters, None), (normalize_unicode_form, _EVERY_POST),
    (normalize_digits, None), (replace_emails, _MAY_HOLD_EMAIL), (replace_urls, _MAY_HOLD_URL),
    (replace_mentions, None), (replace_phone_numbers, None), (replace_long_numbers, None),
    (split_hashtags, None), (lowercase_latin, None), (collapse_elongation, None),
    (transliterate_arabizi_post, _MAY_BE_ARABIZI), (remove_diacritics, None),
    (normalize_letters, None), (separate_emoji, None), (separate_punctuation, None),
)


def normalize(text: str) -> str:
    """Return the normalized form of one post.

    Order matters: invisible characters, Unicode and digits first so every later pattern sees one
    form; e-mails before links and mentions (an address holds both a
    domain and an ``@``); links before hashtags (links contain ``#``); numbers after links so a link's digits
    stay inside the link; hashtags before elongation so their words are
    treated like any others; Arabizi after lowercasing so its rules see one
    case, and before the Arabic letter rules so its output is unified too.
    """
    return normalize_many([text])[0]


def normalize_many(texts: Sequence[str]) -> list[str]:
    """``normalize`` of each text, computed for all of them at once.

    On a short post each step's fixed cost (a call, a scan, a new string)
    outweighs its work, so bulk scoring runs every step once over the posts
    joined by line breaks.  No step matches across a line break, so each
    post comes out as ``normalize`` would give it alone; line breaks inside
    a post are spaces to every step, so they become spaces first.
    """
    posts = [text.replace(_POST_BREAK, " ") for text in texts]
    if not posts:
        return []
    joined = _POST_BREAK.join(posts)
    for step, where in _STEPS:
        if where is None:
            joined = step(joined)
        elif where is _EVERY_POST:
            joined = _POST_BREAK.join(map(step, joined.split(_POST_BREAK)))
        else:
            joined = _apply_where(step, where, joined)
    normalized = joined.split(_POST_BREAK)
    if len(normalized) != len(posts):  # a step broke the no-line-break rule: never seen, but safe
        return [normalize_many([post])[0] if len(posts) > 1 else collapse_spaces(joined)
                for post in posts]
    return [collapse_spaces(post) for post in normalized]


def _apply_where(step, hint: re.Pattern, joined: str) -> str:
    """Apply ``step`` to the posts of the joined batch in which ``hint`` matches."""
    posts = joined.split(_POST_BREAK)
    ends = list(accumulate(len(post) + 1 for post in posts))  # each post's end, break included
    found = hint.search(joined)
    while found:
        index = bisect_right(ends, found.start())
        posts[index] = step(posts[index])
        found = hint.search(joined, ends[index])
    return _POST_BREAK.join(posts)
