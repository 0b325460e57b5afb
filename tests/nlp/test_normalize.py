import json
import random
from pathlib import Path

import pytest

from nlp.normalize import (
    EMAIL_TOKEN,
    MENTION_TOKEN,
    NUMBER_TOKEN,
    PHONE_TOKEN,
    URL_TOKEN,
    collapse_elongation,
    normalize,
    normalize_digits,
    normalize_letters,
    normalize_many,
    normalize_unicode_form,
    remove_diacritics,
    replace_emails,
    replace_long_numbers,
    replace_mentions,
    replace_phone_numbers,
    replace_urls,
    separate_emoji,
    split_hashtags,
)


@pytest.mark.parametrize("step, text, expected", [
    (normalize_unicode_form, "ﻻ", "لا"),
    (normalize_unicode_form, "مستشفى", "مستشفى"),
    (remove_diacritics, "مُحَمَّدٌ", "محمد"),
    (remove_diacritics, "كـــثـيـر", "كثير"),
    (normalize_letters, "أإآا", "اااا"),
    (normalize_letters, "مستشفى", "مستشفي"),
    (normalize_letters, "الصحة", "الصحه"),
    (normalize_digits, "١٢٣٤٥", "12345"),
    (normalize_digits, "۴۵۶", "456"),
    (normalize_digits, "no digits", "no digits"),
    (collapse_elongation, "كثيييير", "كثير"),
    (collapse_elongation, "ليييش!!!!", "ليش!"),
    (collapse_elongation, "ممتاز الله", "ممتاز الله"),
    (collapse_elongation, "؟؟؟", "؟"),
    (collapse_elongation, "1000 ريال", "1000 ريال"),
    (replace_urls, "شوفوا https://t.co/xY12ab الحين", f"شوفوا  {URL_TOKEN}  الحين"),
    (replace_urls, "moh.gov.sa/x?a=1", f" {URL_TOKEN} "),
    (replace_emails, "راسلوني a.b@gmail.com", f"راسلوني  {EMAIL_TOKEN} "),
    (replace_mentions, "@MOH_Saudi وينكم", f" {MENTION_TOKEN}  وينكم"),
    (replace_phone_numbers, "جوالي 0551234567", f"جوالي  {PHONE_TOKEN} "),
    (replace_phone_numbers, "+966 55 123 4567", f" {PHONE_TOKEN} "),
    (replace_long_numbers, "رقم الملف 12345", f"رقم الملف  {NUMBER_TOKEN} "),
    (replace_long_numbers, "ست ساعات 6", "ست ساعات 6"),
    (split_hashtags, "#وزارة_الصحة", " وزارة الصحة "),
    (separate_emoji, "شكرا🌹", "شكرا 🌹 "),
    (separate_emoji, "👍🏽", " 👍 "),
])
def test_each_step_removes_one_kind_of_variation(step, text, expected):
    assert step(text) == expected


@pytest.mark.parametrize("variant, canonical", [
    ("انتظرت في الطوارئ ست ساعاااات!!!", "انتظرت في الطوارئ ست ساعات!"),
    ("المُسْتَشْفَى", "المستشفي"),
    ("إلى المستشفى", "الي المستشفى"),
    ("رقم ملفي ١٢٣٤٥٦", "رقم ملفي 987654"),
    ("THE APP", "the app"),
])
def test_spelling_variants_normalize_alike(variant, canonical):
    assert normalize(variant) == normalize(canonical)


def test_placeholders_survive_as_tokens():
    tokens = normalize("@moh شوفوا https://t.co/x وجوالي 0551234567 وملفي 99887766").split()
    assert {MENTION_TOKEN, URL_TOKEN, PHONE_TOKEN, NUMBER_TOKEN} <= set(tokens)


def test_emoji_and_hashtag_words_become_tokens():
    tokens = normalize("الله يعطيكم العافية 🌹🌹 #وزارة_الصحة").split()
    assert tokens.count("🌹") == 2
    assert "وزاره" in tokens and "الصحه" in tokens


def test_arabizi_post_gains_an_arabic_reading():
    tokens = normalize("3ayez a7gez maw3ed").split()
    assert "احجز" in tokens and "موعد" in tokens
    assert "a7gez" in tokens  # the Latin word stays, for code-switched vocabulary


def test_english_post_is_left_in_latin():
    assert normalize("The app keeps crashing") == "the app keeps crashing"


@pytest.mark.parametrize("text", ["", "   ", "🙂", "؟؟؟", "a" * 10000])
def test_odd_input_does_not_break_normalization(text):
    assert isinstance(normalize(text), str)


@pytest.mark.parametrize("text", ["وين\u0000الدواء", "وين\u200bالدواء", "وين\u202eالدواء",
                                  "\ufeffوين الدواء"])
def test_invisible_characters_become_spaces(text):
    assert normalize(text) == "وين الدواء"


# Posts whose ends could join with a neighbour's start into one match, were a
# pattern to run across the line break that separates posts in a batch.
NEIGHBOURS = [
    "اتصلوا على 0501", "234567 بسرعة", "www.moh", "gov.sa/x", "كثيي", "يير والله",
    "#وزارة", "_الصحة", "3ayez", "a7gez maw3ed", "me@", "moh.gov.sa", "!!", "!! ؟",
    "وين\nالدواء", "ملفي ١٢٣", "٤٥٦٧ وين", "😡", "\u200d🙂", "ﻻ", "\u0651", "",
]


def test_a_post_normalizes_the_same_alone_or_in_a_batch():
    corpus = Path(__file__).parents[2] / "training_data"
    texts = [json.loads(line)["text"] for name in ("train.jsonl", "test.jsonl")
             for line in (corpus / name).read_text(encoding="utf-8").splitlines()]
    batch = texts + NEIGHBOURS
    random.Random(0).shuffle(batch)
    batch[:0] = NEIGHBOURS  # also side by side, in the order that tempts a pattern
    assert normalize_many(batch) == [normalize_many([text])[0] for text in batch]


def test_line_breaks_inside_a_post_are_spaces():
    assert normalize_many(["وين\nالدواء", "جوالي 0551\n234567"]) == [
        "وين الدواء", f"جوالي {PHONE_TOKEN}"]
