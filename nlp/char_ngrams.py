"""Character n-gram TF-IDF computed with array operations instead of Python loops.

Character n-grams carry most of Rasd's accuracy (they survive dialect
spellings, typos and clitics) and, with scikit-learn's vectorizer, most of
its cost: a Python loop visits every n-gram of every post.  Here a whole
batch of posts becomes one array of code points; every n-gram's 64-bit
hash is computed at once, looked up in the sorted vocabulary with
``searchsorted``, and the counts land in a sparse matrix.  The features
are those of ``TfidfVectorizer(analyzer="char")`` on text padded with a
space at each end (so word edges show, as ``char_wb`` does), with
smoothed idf, optional sublinear tf and l2-normalized rows.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_SEPARATOR = 0  # a code point that never occurs in text; n-grams never span it


def _codepoints(texts) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one code-point array (each padded with spaces) and each text's start."""
    joined = "\0".join(f" {text} " for text in texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(text) + 2 for text in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    return codes, starts


def _ngram_hashes(texts, ngram_range: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(document index, hash) of every character n-gram in the texts."""
    codes, starts = _codepoints(texts)
    doc_of = np.zeros(len(codes), dtype=np.int64)
    if len(starts) > 1:
        doc_of[starts[1:]] = 1
    doc_of = np.cumsum(doc_of)
    is_separator = codes == _SEPARATOR
    docs, hashes = [], []
    low, high = ngram_range
    rolling = np.zeros(len(codes), dtype=np.uint64)
    blocked = np.zeros(len(codes), dtype=bool)
    for n in range(1, high + 1):
        # rolling[i] is the hash of codes[i : i + n]; blocked[i] if that window spans texts.
        width = len(codes) - n + 1
        if width <= 0:
            break
        rolling = rolling[:width] * _MULTIPLIER + codes[n - 1:] + np.uint64(n)
        blocked = blocked[:width] | is_separator[n - 1:]
        if n >= low:
            keep = ~blocked
            docs.append(doc_of[:width][keep])
            hashes.append(rolling[keep])
    if not hashes:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    return np.concatenate(docs), _mix(np.concatenate(hashes))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: spreads every input bit over all 64, so any bits can address a table."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class _HashTable:
    """Exact lookup of 64-bit hashes in a fixed set, by direct addressing.

    A sorted array with ``searchsorted`` costs a binary search per n-gram;
    here each n-gram costs two array reads.  Keys are placed by their top
    bits in a table some 8 to 16 times larger than the set; the few keys that
    land on an occupied slot go to a second table addressed by other bits,
    and so on, so every key has exactly one slot to check per level.
    """

    def __init__(self, keys: np.ndarray):
        self.levels: list[tuple[int, np.ndarray, np.ndarray]] = []
        size_bits = max(10, int(np.ceil(np.log2(max(len(keys), 1) * 8))))
        remaining = np.arange(len(keys))
        shift = 64 - size_bits
        while len(remaining):
            slots = (keys[remaining] >> np.uint64(shift)).astype(np.int64) & ((1 << size_bits) - 1)
            _, first = np.unique(slots, return_index=True)
            placed = remaining[first]
            table_keys = np.zeros(1 << size_bits, dtype=np.uint64)
            table_index = np.full(1 << size_bits, -1, dtype=np.int32)
            table_keys[slots[first]] = keys[placed]
            table_index[slots[first]] = placed
            self.levels.append((shift, table_keys, table_index))
            remaining = np.setdiff1d(remaining, placed)
            shift = max(0, shift - 7)  # other bits for the next level

    def find(self, hashes: np.ndarray) -> np.ndarray:
        """Each hash's position in the key set, or -1."""
        found = np.full(len(hashes), -1, dtype=np.int64)
        pending = np.arange(len(hashes))
        for shift, table_keys, table_index in self.levels:
            size_mask = len(table_keys) - 1
            slots = (hashes[pending] >> np.uint64(shift)).astype(np.int64) & size_mask
            hit = table_keys[slots] == hashes[pending]
            found[pending[hit]] = table_index[slots[hit]]
            pending = pending[~hit]
            if not len(pending):
                break
        return found


class CharNgramTfidf(TransformerMixin, BaseEstimator):
    """TF-IDF of character n-grams, vectorized over a whole batch of texts."""

    def __init__(self, ngram_range=(2, 5), min_df=2, max_features=None, sublinear_tf=True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    def fit(self, texts, y=None):
        texts = list(texts)
        docs, hashes = _ngram_hashes(texts, self.ngram_range)
        pairs = np.unique(np.stack([hashes, docs.astype(np.uint64)]), axis=1)
        vocabulary, document_frequency = np.unique(pairs[0], return_counts=True)
        keep = document_frequency >= self.min_df
        vocabulary, document_frequency = vocabulary[keep], document_frequency[keep]
        if self.max_features is not None and len(vocabulary) > self.max_features:
            # Most frequent first; ties broken by hash so the choice is reproducible.
            order = np.lexsort((vocabulary, -document_frequency))[: self.max_features]
            order.sort()
            vocabulary, document_frequency = vocabulary[order], document_frequency[order]
        self.vocabulary_ = vocabulary
        self.idf_ = (np.log((1 + len(texts)) / (1 + document_frequency)) + 1).astype(np.float32)
        return self

    def transform(self, texts):
        texts = list(texts)
        docs, hashes = _ngram_hashes(texts, self.ngram_range)
        found = self._lookup().find(hashes)
        known = found >= 0
        # One sort orders the (document, feature) pairs and counts repeats.
        keys, counts = np.unique(docs[known] * len(self.vocabulary_) + found[known],
                                 return_counts=True)
        rows, columns = np.divmod(keys, len(self.vocabulary_)) if len(self.vocabulary_) else (keys, keys)
        values = counts.astype(np.float32)
        if self.sublinear_tf:
            values = 1 + np.log(values)
        values *= self.idf_[columns]
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(texts)))
        norms[norms == 0] = 1
        values /= norms[rows].astype(np.float32)
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(texts)))))
        return sp.csr_matrix((values, columns, indptr), shape=(len(texts), len(self.vocabulary_)))

    def _lookup(self) -> _HashTable:
        """The vocabulary as a hash table, built on first use and never pickled."""
        table = self.__dict__.get("_table")
        if table is None:
            table = self._table = _HashTable(self.vocabulary_)
        return table

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_table", None)
        return state

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"char_{i}" for i in range(len(self.vocabulary_))], dtype=object)
