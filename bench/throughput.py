"""Bulk-scoring throughput and memory, beside baselines measured in the same run.

    uv run python bench/throughput.py [--posts 100000]

Measures, on the same posts (the corpus's test split, repeated):
  * ``rasd score`` end to end (read JSONL, all heads, router, write JSONL),
    as a separate process, with its wall time and peak memory;
  * a plain single-head baseline: scikit-learn's default TfidfVectorizer +
    LinearSVC on intent, reading and writing the same files in one process;
  * one head of Rasd's own ``make_text_classifier()`` (intent), the same way,
    to show what the other four heads and the router add;
  * fastText (supervised, intent only), when the ``fasttext`` package is
    installed (``uv pip install fasttext``, then ``uv run --no-sync``);
    skipped otherwise.
Prints posts/s for each and the ratios, then where a post's time goes in
``rasd score`` (microseconds per post in one process, stage by stage).  Targets: >= 10,000 posts/s for
``rasd score`` on a 2-core machine, and no slower than the baseline.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.modelops import load_split  # noqa: E402
from router.profile import load_profile  # noqa: E402


def write_posts(path: Path, texts: list[str], count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps({"id": f"p{i}", "text": texts[i % len(texts)],
                                  "created_at": "2026-11-29T10:00:00+03:00"},
                                 ensure_ascii=False) + "\n")


def run_rasd_score(posts: Path, out: Path, workers: int) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "api.cli", "score", str(posts), "-o", str(out),
                    "--workers", str(workers)], check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def bench_baseline(train_texts, train_labels, posts: Path, out: Path) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    model = make_pipeline(TfidfVectorizer(), LinearSVC()).fit(train_texts, train_labels)
    return bench_one_head(model, posts, out)


def bench_own_head(train_texts, train_labels, posts: Path, out: Path) -> float:
    from nlp.classifier import make_text_classifier

    return bench_one_head(make_text_classifier().fit(train_texts, train_labels), posts, out)


def bench_one_head(model, posts: Path, out: Path) -> float:
    """Seconds to label every post of the file with one fitted pipeline, in one process."""
    gc.collect()
    gc.freeze()  # as rasd score does after loading: the corpus here must not slow the baseline
    started = time.perf_counter()
    with posts.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        batch: list[dict] = []
        for line in source:
            batch.append(json.loads(line))
            if len(batch) == 2000:
                _write_labels(sink, batch, model.predict([r["text"] for r in batch]))
                batch = []
        if batch:
            _write_labels(sink, batch, model.predict([r["text"] for r in batch]))
    return time.perf_counter() - started


def _write_labels(sink, batch, labels) -> None:
    for record, label in zip(batch, labels):
        sink.write(json.dumps({"id": record["id"], "intent": label}) + "\n")


def bench_fasttext(train_texts, train_labels, posts: Path, out: Path, folder: Path) -> float | None:
    try:
        import fasttext
    except ImportError:
        return None
    train_file = folder / "fasttext_train.txt"
    train_file.write_text("".join(f"__label__{label} {' '.join(text.split())}\n"
                                  for text, label in zip(train_texts, train_labels)),
                          encoding="utf-8")
    model = fasttext.train_supervised(str(train_file), epoch=25, wordNgrams=2, verbose=0)
    started = time.perf_counter()
    with posts.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        for line in source:
            record = json.loads(line)
            # The low-level call: fasttext 0.9.3's predict() breaks on NumPy 2.
            best = model.f.predict(" ".join(record["text"].split()), 1, -1.0, "strict")
            label = best[0][1][9:] if best else None
            sink.write(json.dumps({"id": record["id"], "intent": label}) + "\n")
    return time.perf_counter() - started


def stage_costs(texts: list[str], count: int = 20_000) -> dict[str, float]:
    """Microseconds per post for each stage of ``rasd score``, in this one process."""

    from api.bulk import decode_record, json_lines
    from api.modelops import load_triager
    from router.decide import decide, to_output
    from router.incoming import parse_incoming

    profile = load_profile()
    triager = load_triager(models_dir=ROOT / "models", profile=profile)
    model, zone = triager.model, profile.calendar.zone
    gc.freeze()
    raw = [json.dumps({"id": f"p{i}", "text": texts[i % len(texts)],
                       "created_at": "2026-11-29T10:00:00+03:00"}, ensure_ascii=False).encode()
           for i in range(count)]
    costs: dict[str, float] = {}

    def timed(stage, work):
        started = time.perf_counter()
        result = [item for block in range(0, count, 2000) for item in work(block)]
        costs[stage] = (time.perf_counter() - started) / count * 1e6
        return result

    normalizer = model.features.named_steps["normalize"]
    vectorizers = [v for _, v in model.features.named_steps["tfidf"].transformer_list]
    posts = timed("read and check a record", lambda b: [
        parse_incoming(decode_record(b + i, line), max_chars=5000, zone=zone)
        for i, line in enumerate(raw[b:b + 2000])])
    normalized = timed("normalize", lambda b: normalizer.transform([p.text for p in posts[b:b + 2000]]))
    import scipy.sparse as sp
    matrices = timed("n-gram TF-IDF features", lambda b: [sp.hstack(
        [v.transform(normalized[b:b + 2000]) for v in vectorizers], format="csr")])
    def predict(block):
        probabilities = model._probabilities(matrices[block // 2000])
        return [model._ranked(probabilities["intent"], model._classes("intent")),
                *model._placement(probabilities["placement"])]
    timed("heads (all five labels)", predict)
    predictions = model.predict([p.text for p in posts])
    decisions = timed("router (decide)", lambda b: [
        decide(p, pr, profile=profile, calendar=triager.calendar, model_version="bench")
        for p, pr in zip(posts[b:b + 2000], predictions[b:b + 2000])])
    timed("output JSON", lambda b: [json_lines([to_output(d) for d in decisions[b:b + 2000]])])
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000, help="posts to score (default 100,000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    train, test = load_split(ROOT / "training_data", load_profile())
    texts = [p.text for p in test]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        posts = folder / "posts.jsonl"
        write_posts(posts, texts, args.posts)
        print(f"{args.posts:,} posts ({len(texts)} distinct test-split texts), "
              f"{os.cpu_count()} cores, rasd score with {args.workers} workers")
        few = folder / "few.jsonl"
        write_posts(few, texts, 10)
        startup_s = run_rasd_score(few, folder / "few_out.jsonl", args.workers)
        rasd_s = run_rasd_score(posts, folder / "rasd.jsonl", args.workers)
        rasd_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        train_texts, train_labels = [p.text for p in train], [p.intent for p in train]
        base_s = bench_baseline(train_texts, train_labels, posts, folder / "baseline.jsonl")
        own_s = bench_own_head(train_texts, train_labels, posts, folder / "own_head.jsonl")
        fast_s = bench_fasttext(train_texts, train_labels, posts, folder / "fasttext.jsonl", folder)
        costs = stage_costs(texts)

    rasd_rate, base_rate = args.posts / rasd_s, args.posts / base_s
    steady_rate = args.posts / max(rasd_s - startup_s, 1e-9)
    print(f"rasd score (all labels + router): {rasd_rate:>10,.0f} posts/s   end to end, "
          f"peak RSS {rasd_mb:,.0f} MB")
    print(f"  after start-up ({startup_s:.1f} s: imports, model load): {steady_rate:>10,.0f} posts/s")
    print(f"baseline TF-IDF+LinearSVC:    {base_rate:>10,.0f} posts/s   (1 head, 1 process)")
    print(f"make_text_classifier(), 1 head: {args.posts / own_s:>8,.0f} posts/s   (1 process)")
    if fast_s is None:
        print("fastText:                      skipped (pip package `fasttext` not installed)")
    else:
        print(f"fastText (1 head):             {args.posts / fast_s:>10,.0f} posts/s")
    print(f"rasd / baseline: {rasd_rate / base_rate:.2f}x end to end, "
          f"{steady_rate / base_rate:.2f}x after start-up;   target >= 10,000 posts/s: "
          f"{'met' if rasd_rate >= 10_000 else 'NOT met'} end to end, "
          f"{'met' if steady_rate >= 10_000 else 'NOT met'} after start-up")
    print(f"where a post's time goes in rasd score (µs per post, 1 process; "
          f"the baseline takes {1e6 / base_rate:.1f} µs end to end):")
    for stage, micros in costs.items():
        print(f"  {stage:<26} {micros:6.1f}")
    print(f"  {'total':<26} {sum(costs.values()):6.1f}")


if __name__ == "__main__":
    main()
