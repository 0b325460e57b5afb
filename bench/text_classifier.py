"""``make_text_classifier()`` on any labelled Arabic short-text task, beside plain baselines.

    uv run python bench/text_classifier.py                      # intent and dialect on our corpus
    uv run python bench/text_classifier.py --train T.jsonl --test S.jsonl --label label
    uv run python bench/text_classifier.py --train Banking77_Arabized_MSA_PAL_train.csv \
        --test Banking77_Arabized_MSA_test.csv          # ArBanking77 (label,text columns)

The classifier is public API: analysts train it on their own labels, so it
must be strong on Arabic short texts in general, not on this profile's
words.  This script fits, on the same training posts and scores on the same
test posts (macro-F1 and accuracy):
  * ``make_text_classifier()`` (normalization, word and char n-grams,
    calibrated linear SVM);
  * the same word and char n-grams from scikit-learn without Rasd's Arabic
    normalization, which isolates what the normalization adds;
  * scikit-learn's default TfidfVectorizer + LinearSVC, the plain baseline.
Built-in tasks: ``intent`` (this profile's labels) and ``dialect`` (which
Arabic dialect a post is written in, Arabic-script posts only: a task the
classifier was not designed around).  Any JSON Lines or CSV files with a
``text`` field and a label field can be given instead, e.g. a public
benchmark such as ArBanking77 (77 banking intents, MSA and Palestinian;
its authors report F1 0.92 on MSA and 0.90 on Palestinian for a fine-tuned
AraBERT), whose files are not in this repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from sklearn.pipeline import make_pipeline, make_union  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from nlp.classifier import make_text_classifier  # noqa: E402

NOT_ARABIC_SCRIPT = {"english", "arabizi", "mixed"}


def read(path: Path, label: str) -> tuple[list[str], list[str]]:
    """Texts and labels of a JSON Lines file, or of a CSV file with a header row."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.DictReader(stream))
    else:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    return [r["text"] for r in rows], [str(r[label]) for r in rows]


def builtin_task(name: str):
    train = read(ROOT / "training_data" / "train.jsonl", name)
    test = read(ROOT / "training_data" / "test.jsonl", name)
    if name == "dialect":
        train, test = (tuple(map(list, zip(*[(t, d) for t, d in zip(*split)
                                             if d not in NOT_ARABIC_SCRIPT])))
                       for split in (train, test))
    return train, test


def contenders() -> dict:
    return {
        "make_text_classifier()": make_text_classifier,
        "same n-grams, no normalization": lambda: make_pipeline(
            make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                       sublinear_tf=True, max_features=50000),
                       TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                       max_features=20000)),
            LinearSVC(C=0.5, class_weight="balanced")),
        "plain TF-IDF + LinearSVC": lambda: make_pipeline(TfidfVectorizer(), LinearSVC()),
    }


def run(name: str, train, test) -> None:
    (train_texts, train_labels), (test_texts, test_labels) = train, test
    print(f"\n{name}: {len(train_texts):,} training posts, {len(test_texts):,} test posts, "
          f"{len(set(train_labels))} labels")
    print(f"  {'classifier':<32} {'macro-F1':>8} {'accuracy':>8} {'fit s':>6}")
    for label, build in contenders().items():
        started = time.perf_counter()
        model = build().fit(train_texts, train_labels)
        fitted = time.perf_counter() - started
        predicted = model.predict(test_texts)
        print(f"  {label:<32} {f1_score(test_labels, predicted, average='macro'):>8.3f} "
              f"{accuracy_score(test_labels, predicted):>8.3f} {fitted:>6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=["intent", "dialect"], action="append",
                        help="built-in task (default: both)")
    parser.add_argument("--train", type=Path, help="JSON Lines or CSV training file (with --test)")
    parser.add_argument("--test", type=Path, help="JSON Lines or CSV test file")
    parser.add_argument("--label", default="label", help="label field of --train/--test")
    args = parser.parse_args()
    if args.train or args.test:
        if not (args.train and args.test):
            parser.error("--train and --test go together")
        run(f"{args.train.name} / {args.test.name} ({args.label})",
            read(args.train, args.label), read(args.test, args.label))
        return
    for task in args.task or ["intent", "dialect"]:
        run(task, *builtin_task(task))


if __name__ == "__main__":
    main()
