"""Word and character n-gram TF-IDF computed with array operations, not Python loops.

N-gram features carry Rasd's accuracy (character n-grams survive dialect
spellings, typos and clitics) and, with scikit-learn's vectorizers, most of
its cost: a Python loop visits every n-gram of every post.  Here a whole
batch of posts becomes one array of code points; every n-gram's 64-bit
hash is computed at once, looked up in the vocabulary (a hash table:
two array reads per n-gram), and the counts land in a sparse matrix.

The features equal scikit-learn's ``TfidfVectorizer`` with smoothed idf,
sublinear tf and l2-normalized rows: ``CharNgramTfidf`` is
``analyzer="char"`` on text padded with a space at each end (so word
edges show, as ``char_wb`` does); ``WordNgramTfidf`` is word n-grams of
text whose tokens are separated by single spaces (what ``normalize``
returns).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_SEPARATOR = 0  # a code point that never occurs in text; n-grams never span it


def _codepoints(texts) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one code-point array (each padded with spaces) and each text's start."""
    joined = "\0".join(f" {text.replace(chr(0), ' ')} " for text in texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(text) + 2 for text in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    return codes, starts


def _char_ngram_hashes(texts, ngram_range: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
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
    x = x ^ (x >> np.uint64(30))  # a new array; the rest is done in place
    shifted = np.empty_like(x)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= np.right_shift(x, np.uint64(27), out=shifted)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= np.right_shift(x, np.uint64(31), out=shifted)
    return x


class _HashTable:
    """Exact lookup of 64-bit hashes in a fixed, sorted set of unique keys.

    A sorted array with ``searchsorted`` costs a binary search per n-gram;
    here an n-gram costs about two array reads.  Each key's home slot is
    given by its top bits in an index table about four times larger than
    the set (linear probing: a taken slot sends the key to the next one).
    Most hashes settle at their home slot: an empty slot is a miss, a slot
    holding their key a hit.  The table stores positions only; the keys
    themselves are read from the set, which is small enough to stay in cache.
    """

    def __init__(self, keys: np.ndarray):
        self.keys = keys
        bits = max(10, int(np.ceil(np.log2(max(len(keys), 1) * 4))))
        self.shift = np.uint64(64 - bits)
        self.index = np.full(1 << bits, -1, dtype=np.int32)
        home = (keys >> self.shift).astype(np.int64)
        pending, probe = np.arange(len(keys)), 0
        while len(pending):  # place the keys, probing one slot further each round
            slots = (home[pending] + probe) & (len(self.index) - 1)
            free = self.index[slots] < 0
            taken, first = np.unique(slots[free], return_index=True)  # one key per free slot
            placed = pending[free][first]
            self.index[taken] = placed
            pending = np.setdiff1d(pending, placed, assume_unique=True)
            probe += 1
        self.probes = probe

    def find(self, hashes: np.ndarray) -> np.ndarray:
        """Each hash's position in the key set, or -1."""
        if not len(self.keys):
            return np.full(len(hashes), -1, dtype=np.int64)
        home = (hashes >> self.shift).astype(np.int64)
        slot_holds = self.index[home]
        found = np.where(self.keys[np.maximum(slot_holds, 0)] == hashes, slot_holds, -1)
        # The rest found another key at home: theirs may sit a few slots on.
        pending = np.flatnonzero((found < 0) & (slot_holds >= 0))
        mask = len(self.index) - 1
        for probe in range(1, min(self.probes, 3)):
            if not len(pending):
                return found
            slot_holds = self.index[(home[pending] + probe) & mask]
            hit = self.keys[np.maximum(slot_holds, 0)] == hashes[pending]
            found[pending[hit]] = slot_holds[hit]
            pending = pending[~hit & (slot_holds >= 0)]
        if len(pending):  # the few in long runs: a binary search beats probing on
            position = np.minimum(np.searchsorted(self.keys, hashes[pending]), len(self.keys) - 1)
            hit = self.keys[position] == hashes[pending]
            found[pending[hit]] = position[hit]
        return found


def _word_ngram_hashes(texts, ngram_range: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(document index, hash) of every word n-gram; words are separated by single spaces.

    A word's hash is sum(code[k] * M**(k - start)), read off one cumulative
    sum of code[k] * M**k by multiplying with M**-start (M is odd, so it has
    an inverse modulo 2**64).  An n-gram's hash chains its words' hashes.
    """
    joined = "\0".join(text.replace("\0", " ") for text in texts)  # \0 separates texts
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    boundary = np.flatnonzero((codes == 32) | (codes == _SEPARATOR))
    ends = np.concatenate((boundary, [len(codes)]))
    starts = np.concatenate(([0], boundary + 1))
    words = ends > starts
    is_separator = np.concatenate((codes[boundary] == _SEPARATOR, [True]))
    doc_after = np.cumsum(is_separator)  # document index after each boundary
    word_doc = np.concatenate(([0], doc_after[:-1]))[words]
    starts, ends = starts[words], ends[words]
    if not len(starts):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    powers = np.cumprod(np.full(len(codes), _MULTIPLIER, dtype=np.uint64))
    powers = np.concatenate(([np.uint64(1)], powers[:-1]))
    inverse_powers = np.cumprod(np.full(len(codes), _INVERSE_MULTIPLIER, dtype=np.uint64))
    inverse_powers = np.concatenate(([np.uint64(1)], inverse_powers[:-1]))
    prefix = np.concatenate(([np.uint64(0)], np.cumsum(codes * powers, dtype=np.uint64)))
    word_hash = (prefix[ends] - prefix[starts]) * inverse_powers[starts]
    docs, hashes = [], []
    low, high = ngram_range
    chained = np.zeros(len(word_hash), dtype=np.uint64)
    for n in range(1, high + 1):
        width = len(word_hash) - n + 1
        if width <= 0:
            break
        chained = _mix(chained[:width] * _MULTIPLIER + word_hash[n - 1:] + np.uint64(n))
        same_doc = word_doc[:width] == word_doc[n - 1:]
        if n >= low:
            docs.append(word_doc[:width][same_doc])
            hashes.append(chained[same_doc])
    return np.concatenate(docs), np.concatenate(hashes)


_INVERSE_MULTIPLIER = np.uint64(pow(int(_MULTIPLIER), -1, 2**64))


class _HashedTfidf(TransformerMixin, BaseEstimator):
    """TF-IDF over hashed n-grams; subclasses say how a batch of texts is cut into n-grams."""

    def _hashes(self, texts) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def fit(self, texts, y=None):
        texts = list(texts)
        docs, hashes = self._hashes(texts)
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

    block = 2048  # texts featurized together; subclasses with many n-grams per text use fewer

    def transform(self, texts):
        """TF-IDF rows of the texts, computed a block at a time.

        A block's arrays stay in the processor's cache through the dozen
        passes made over them, which matters more than the per-call cost.
        """
        texts = list(texts)
        blocks = [self._transform_block(texts[start:start + self.block])
                  for start in range(0, len(texts), self.block)]
        if not blocks:
            return sp.csr_matrix((0, len(self.vocabulary_)), dtype=np.float32)
        values, columns, row_lengths = (np.concatenate(parts) for parts in zip(*blocks))
        indptr = np.concatenate(([0], np.cumsum(row_lengths)))
        return sp.csr_matrix((values, columns, indptr), shape=(len(texts), len(self.vocabulary_)))

    def _transform_block(self, texts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(values, columns, entries per row) of the texts' rows."""
        docs, hashes = self._hashes(texts)
        found = self._lookup().find(hashes)
        known = found >= 0
        size = max(len(self.vocabulary_), 1)
        # One sort orders the (document, feature) pairs and counts repeats;
        # 32-bit keys when they fit sort twice as fast.
        key_type = np.int32 if len(texts) * size < 2**31 else np.int64
        keys = docs[known].astype(key_type) * key_type(size) + found[known].astype(key_type)
        keys.sort()
        first = np.empty(len(keys), dtype=bool)
        first[:1] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        counts = np.diff(starts, append=len(keys))
        rows, columns = np.divmod(keys[starts], key_type(size))
        values = counts.astype(np.float32)
        if self.sublinear_tf:
            values = 1 + np.log(values)
        values *= self.idf_[columns]
        row_lengths = np.bincount(rows, minlength=len(texts))
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(texts)))
        norms[norms == 0] = 1
        values /= norms[rows].astype(np.float32)
        return values, columns, row_lengths

    def _lookup(self) -> _HashTable:
        """The vocabulary as a hash table, built on first use and never pickled."""
        table = self.__dict__.get("_table")
        if table is None:
            table = self._table = _HashTable(self.vocabulary_)
        return table

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_table", None)
        return state

    def get_feature_names_out(self, input_features=None):
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}_{i}" for i in range(len(self.vocabulary_))], dtype=object)


class CharNgramTfidf(_HashedTfidf):
    """TF-IDF of character n-grams of each text padded with a space at each end."""

    block = 256

    def __init__(self, ngram_range=(2, 5), min_df=2, max_features=None, sublinear_tf=True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    def _hashes(self, texts):
        return _char_ngram_hashes(texts, self.ngram_range)


class WordNgramTfidf(_HashedTfidf):
    """TF-IDF of word n-grams of texts whose words are separated by single spaces."""

    def __init__(self, ngram_range=(1, 2), min_df=2, max_features=None, sublinear_tf=True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    def _hashes(self, texts):
        return _word_ngram_hashes(texts, self.ngram_range)
