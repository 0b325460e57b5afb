"""How much of a corpus is near-duplicate: the breadth check of the training data.

A post counts as a near-duplicate when 80% or more of its word 3-grams
also occur in one other post.  Template-expanded rows (one frame, other
slot words) fail this check, which is the point.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from nlp.normalize import normalize

THRESHOLD = 0.8


def word_trigrams(text: str) -> frozenset[tuple[str, ...]]:
    """3-grams of normalized words; a post under three words is one gram of itself."""
    words = [w for w in normalize(text).split(" ") if w]
    if len(words) < 3:
        return frozenset([tuple(words)])
    return frozenset(zip(words, words[1:], words[2:]))


class TrigramIndex:
    """Posts' 3-grams, asked which one post shares the most of a given set."""

    def __init__(self):
        self._posts: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.size = 0

    def add(self, grams: frozenset) -> int:
        for gram in grams:
            self._posts[gram].append(self.size)
        self.size += 1
        return self.size - 1

    def covers(self, grams: frozenset, threshold: float = THRESHOLD, *,
               exclude: int | None = None) -> bool:
        """True when one indexed post (other than ``exclude``) holds ``threshold`` of ``grams``."""
        shared: dict[int, int] = defaultdict(int)
        for gram in grams:
            for post in self._posts.get(gram, ()):
                if post != exclude:
                    shared[post] += 1
        return bool(shared) and max(shared.values()) >= threshold * len(grams)


def near_duplicate_ids(ids: Sequence[str], texts: Sequence[str],
                       threshold: float = THRESHOLD) -> set[str]:
    """Ids of posts that share at least ``threshold`` of their 3-grams with another post."""
    grams = [word_trigrams(text) for text in texts]
    index = TrigramIndex()
    for post_grams in grams:
        index.add(post_grams)
    return {ids[i] for i, post_grams in enumerate(grams)
            if index.covers(post_grams, threshold, exclude=i)}


def near_duplicate_share(ids: Sequence[str], texts: Sequence[str]) -> float:
    return len(near_duplicate_ids(ids, texts)) / len(ids) if ids else 0.0
