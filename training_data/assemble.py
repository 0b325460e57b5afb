"""Assemble the corpus from writers' batches: validate, drop near-duplicates, split.

How ``train.jsonl`` and ``test.jsonl`` were made (see README.md here):

    uv run python training_data/assemble.py BATCH_DIR [BATCH_DIR …]
    uv run python training_data/assemble.py --add BATCH_DIR [BATCH_DIR …]
    uv run python training_data/assemble.py --independent BATCH_DIR [BATCH_DIR …]

The first builds both files anew; ``--add`` keeps every post already in
them where it is (so the test split stays fixed and earlier label
corrections stay) and splits only the new posts.  ``--independent``
writes ``independent.jsonl``: posts by writers who never saw the corpus,
kept apart from both splits, for ``rasd evaluate --data``.

Every row is validated by the corpus loader's rules (a bad row stops the
run with its file and line).  A post is dropped when 80% or more of its
word 3-grams already occur in one post kept before it, so no two posts in
the corpus are near-copies.  The test split is 18%, stratified by intent
and dialect family, with a fixed seed.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from nlp.corpus import LabelledPost, parse_post, write_posts
from nlp.labels import DIALECT_FAMILY
from nlp.near_duplicates import TrigramIndex, word_trigrams
from router.profile import load_profile

TEST_SHARE = 0.18
SEED = 20261129
HERE = Path(__file__).parent


def read_batches(folders: list[Path]) -> list[LabelledPost]:
    space = load_profile().label_space
    posts = []
    for folder in folders:
        for path in sorted(folder.glob("*.jsonl")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    try:
                        posts.append(parse_post(json.loads(line), space))
                    except ValueError as error:
                        sys.exit(f"{path}:{number}: {error}")
    return posts


def drop_near_duplicates(posts: list[LabelledPost],
                         existing: list[LabelledPost] = ()) -> tuple[list[LabelledPost], int]:
    """Posts not covered 80% by one earlier post (``existing`` posts count as earlier)."""
    index = TrigramIndex()
    for post in existing:
        index.add(word_trigrams(post.text))
    kept = []
    for post in posts:
        grams = word_trigrams(post.text)
        if not index.covers(grams):
            index.add(grams)
            kept.append(post)
    return kept, len(posts) - len(kept)


def stratified_split(posts: list[LabelledPost]) -> tuple[list[LabelledPost], list[LabelledPost]]:
    rng = random.Random(SEED)
    strata: dict[tuple[str, str], list[LabelledPost]] = defaultdict(list)
    for post in posts:
        strata[(post.intent, DIALECT_FAMILY[post.dialect])].append(post)
    train, test = [], []
    for key in sorted(strata):
        members = strata[key]
        rng.shuffle(members)
        n_test = round(len(members) * TEST_SHARE)
        test.extend(members[:n_test])
        train.extend(members[n_test:])
    return sorted(train, key=lambda p: p.id), sorted(test, key=lambda p: p.id)


def main(folders: list[str]) -> None:
    mode = folders[0] if folders[:1] in (["--add"], ["--independent"]) else None
    posts = read_batches([Path(f) for f in folders[mode is not None:]])
    existing_train, existing_test = [], []
    if mode:
        space = load_profile().label_space
        from nlp.corpus import load_posts

        existing_train = load_posts(HERE / "train.jsonl", space)
        existing_test = load_posts(HERE / "test.jsonl", space)
    known = {p.id for p in existing_train + existing_test}
    ids = [p.id for p in posts]
    if len(set(ids)) != len(ids) or known & set(ids):
        sys.exit("duplicate ids across batches or with the existing corpus")
    kept, dropped = drop_near_duplicates(posts, existing_train + existing_test)
    if mode == "--independent":
        write_posts(HERE / "independent.jsonl", sorted(kept, key=lambda p: p.id))
        print(f"{len(posts)} rows read, {dropped} near-duplicates of the corpus dropped, "
              f"{len(kept)} independent posts")
        return
    train, test = stratified_split(kept)
    train = sorted(existing_train + train, key=lambda p: p.id)
    test = sorted(existing_test + test, key=lambda p: p.id)
    write_posts(HERE / "train.jsonl", train)
    write_posts(HERE / "test.jsonl", test)
    print(f"{len(posts)} rows read, {dropped} near-duplicates dropped, "
          f"{len(train)} train, {len(test)} test")


if __name__ == "__main__":
    main(sys.argv[1:])
