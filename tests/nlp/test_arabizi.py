import pytest

from nlp.arabizi import is_arabizi_post, is_arabizi_word, transliterate_word


@pytest.mark.parametrize("word, expected", [
    ("maw3ed", "موعد"),
    ("a7gez", "احجز"),
    ("dawa", "دوا"),
    ("wain", "وين"),
    ("el", "ال"),
    ("shukran", "شوكرن"),
    ("5alas", "خلس"),
])
def test_words_read_as_their_consonant_skeleton(word, expected):
    assert transliterate_word(word) == expected


@pytest.mark.parametrize("word, expected", [
    ("3ayez", True), ("a7gez", True), ("wain", True),
    ("2nd", False), ("5pm", False), ("500mg", False), ("covid", False), ("app", False),
])
def test_arabizi_words_are_told_from_english(word, expected):
    assert is_arabizi_word(word) is expected


@pytest.mark.parametrize("words, expected", [
    ("3ayez a7gez maw3ed".split(), True),
    ("the app keeps crashing wallah i cannot book anything today".split(), False),
    (["7ram"], True),
    ("please call me back about my appointment".split(), False),
])
def test_a_post_is_arabizi_when_enough_of_its_words_are(words, expected):
    assert is_arabizi_post(words) is expected
