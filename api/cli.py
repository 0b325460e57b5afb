"""The ``rasd`` command: thin subcommands over library functions.

Exit codes:
  0  done
  1  done, but some input records were skipped (listed on stderr)
  2  wrong usage (unknown option, missing argument)
  3  bad input (unreadable or malformed file, bad record with --on-error fail)
  4  cannot load the model, the profile or the corpus
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from api import modelops
from api.settings import Settings
from nlp.artifacts import active_version, list_versions, set_active_version
from nlp.errors import CorpusError, InputError, ModelLoadError, ProfileError
from nlp.labels import DIALECT_FAMILY, FLAG_HEADS
from nlp.near_duplicates import near_duplicate_share
from router.profile import load_profile

EXIT_SKIPPED, EXIT_USAGE, EXIT_INPUT, EXIT_LOAD = 1, 2, 3, 4


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        return args.run(args, settings)
    except InputError as error:
        return fail(str(error), EXIT_INPUT)
    except (ModelLoadError, ProfileError, CorpusError) as error:
        return fail(str(error), EXIT_LOAD)
    except KeyboardInterrupt:
        return fail("interrupted", 130)


def fail(message: str, code: int) -> int:
    print(f"rasd: error: {message}", file=sys.stderr)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rasd", description="Arabic-first triage of social-media posts.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="fit every head on the training split and save a model")
    train.add_argument("--version", help="model version name (default: triage-<UTC timestamp>)")
    train.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    train.add_argument("--activate", action="store_true", help="make the new model the active one")
    train.set_defaults(run=run_train)

    evaluate = commands.add_parser("evaluate", help="score a model on labelled posts")
    evaluate.add_argument("--version", help="model version (default: the active one)")
    evaluate.add_argument("--data", type=Path,
                          help="labelled JSON Lines file (default: the corpus's test split)")
    evaluate.add_argument("--output", type=Path, help="folder for report.json and confusion PNGs "
                          "(default: models/<version>/evaluation)")
    evaluate.set_defaults(run=run_evaluate)

    score = commands.add_parser("score", help="triage a JSON Lines or CSV file of posts")
    score.add_argument("input", type=Path, help="posts: JSON Lines or CSV with id and text")
    score.add_argument("-o", "--output", type=Path, required=True,
                       help="where to write one output object per line ('-' for stdout)")
    score.add_argument("--format", choices=("jsonl", "csv"),
                       help="input format (default: from the file's extension)")
    score.add_argument("--on-error", choices=("skip", "fail"), default="skip",
                       help="a malformed record is skipped and reported (default), or stops the run")
    score.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                       help="scoring processes (default: one per core)")
    score.add_argument("--version", help="model version (default: the active one)")
    score.set_defaults(run=run_score)

    models = commands.add_parser("models", help="list model versions and the active one")
    models.set_defaults(run=run_models)

    activate = commands.add_parser("activate", help="make a model version the active one")
    activate.add_argument("version", help="a version listed by `rasd models`")
    activate.set_defaults(run=run_activate)

    tune = commands.add_parser(
        "tune-thresholds", help="suggest the profile's review thresholds from out-of-fold predictions")
    tune.add_argument("--target", type=float, default=0.96,
                      help="share of unreviewed posts whose intent, owner and department must all "
                           "be right (default 0.96)")
    tune.add_argument("--urgent-recall", type=float, default=0.93,
                      help="share of urgent posts the urgent cut-off must flag (default 0.93)")
    tune.add_argument("--folds", type=int, default=3, help="cross-validation folds (default 3)")
    tune.set_defaults(run=run_tune_thresholds)

    serve = commands.add_parser("serve", help="run the HTTP API under uvicorn")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    serve.set_defaults(run=run_serve)

    keys = commands.add_parser("keys", help="issue or revoke API keys")
    key_commands = keys.add_subparsers(required=True, metavar="ACTION")
    create = key_commands.add_parser("create", help="issue a key; it is printed once")
    create.add_argument("--name", required=True, help="who or what the key is for")
    create.add_argument("--role", required=True, choices=("agent", "integrator", "analyst", "admin"),
                        help="what the key may do")
    create.set_defaults(run=run_keys_create)
    revoke = key_commands.add_parser("revoke", help="revoke every key with this name")
    revoke.add_argument("--name", required=True, help="the name the key was issued under")
    revoke.set_defaults(run=run_keys_revoke)

    export = commands.add_parser("export-feedback",
                                 help="agents' final decisions as training rows (JSON Lines)")
    export.add_argument("-o", "--output", type=Path, required=True, help="file to write ('-' for stdout)")
    export.set_defaults(run=run_export_feedback)

    cases = commands.add_parser("cases", help="case lists and reports from the store")
    case_commands = cases.add_subparsers(required=True, metavar="ACTION")
    overdue = case_commands.add_parser("overdue", help="open cases past due, most overdue first "
                                                       "(JSON Lines)")
    overdue.add_argument("--due-within-hours", type=float,
                         help="list open cases due within this many hours instead")
    overdue.set_defaults(run=run_cases_overdue)
    escalate = case_commands.add_parser("escalate", help="queue one escalation event per new "
                                                         "service-level breach")
    escalate.set_defaults(run=run_cases_escalate)
    report = case_commands.add_parser("report", help="cases per department, intent and state; "
                                                     "share answered on time; median resolution")
    report.set_defaults(run=run_cases_report)

    outbox = commands.add_parser("outbox", help="deliver queued replies and escalations")
    outbox_commands = outbox.add_subparsers(required=True, metavar="ACTION")
    deliver = outbox_commands.add_parser("deliver", help="one pass over due deliveries "
                                                         "(run it from a timer)")
    deliver.set_defaults(run=run_outbox_deliver)

    corpus = commands.add_parser("corpus", help="counts and the near-duplicate share of the corpus")
    corpus.set_defaults(run=run_corpus)
    return parser


def run_train(args, settings: Settings) -> int:
    profile = load_profile(settings.profile)
    now = dt.datetime.now(dt.UTC)
    version = args.version or f"triage-{now:%Y%m%d-%H%M%S}"
    if (settings.models_dir / version).exists():
        return fail(f"model version {version!r} exists already; choose another --version", EXIT_USAGE)
    print(f"training {version} on {settings.training_data} …", file=sys.stderr)
    card = modelops.train_model(corpus_dir=settings.training_data, profile=profile,
                                models_dir=settings.models_dir, version=version,
                                seed=args.seed, now=now)
    if args.activate:
        set_active_version(settings.models_dir, version)
    print(json.dumps({"version": version, "evaluation": card["evaluation"]}, ensure_ascii=False,
                     indent=2))
    return 0


def run_evaluate(args, settings: Settings) -> int:
    from api.plots import save_confusion_matrices  # matplotlib only when asked for

    profile = load_profile(settings.profile)
    triager = modelops.load_triager(models_dir=settings.models_dir, profile=profile,
                                    version=args.version or settings.model_version)
    if args.data:
        from nlp.corpus import load_posts
        posts = load_posts(args.data, profile.label_space)
    else:
        _, posts = modelops.load_split(settings.training_data, profile)
    report = modelops.evaluate_triager(triager, posts)
    output = args.output or settings.models_dir / triager.model_version / "evaluation"
    output.mkdir(parents=True, exist_ok=True)
    (output / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                                        encoding="utf-8")
    save_confusion_matrices(report, output)
    print(json.dumps(modelops.headline(report) | {"slices": report["slices"]}, ensure_ascii=False,
                     indent=2))
    print(f"report and confusion matrices in {output}", file=sys.stderr)
    return 0


def run_score(args, settings: Settings) -> int:
    from api.bulk import read_records, score_file

    if args.workers < 1:
        return fail("--workers must be at least 1", EXIT_USAGE)
    if not args.input.is_file():
        return fail(f"{args.input}: no such file", EXIT_INPUT)
    profile = load_profile(settings.profile)
    load = functools.partial(modelops.load_triager, models_dir=settings.models_dir,
                             profile=profile, version=args.version or settings.model_version)
    triager = load()  # fail fast, in this process, on a model that cannot load
    fmt = args.format or ("csv" if args.input.suffix.lower() == ".csv" else "jsonl")
    progress = _progress_printer() if sys.stderr.isatty() else None
    out = sys.stdout if str(args.output) == "-" else open(args.output, "w", encoding="utf-8")
    try:
        summary = score_file(read_records(args.input, fmt), out, triager=triager, load=load,
                             zone=profile.calendar.zone, max_chars=settings.max_text_chars,
                             workers=args.workers, skip_bad=args.on_error == "skip",
                             progress=progress)
    finally:
        if out is not sys.stdout:
            out.close()
    if progress:
        print(file=sys.stderr)
    for bad in summary.skipped[:50]:
        print(f"rasd: skipped line {bad.line}: {bad.reason}", file=sys.stderr)
    if len(summary.skipped) > 50:
        print(f"rasd: … and {len(summary.skipped) - 50} more skipped lines", file=sys.stderr)
    print(f"scored {summary.scored} posts, skipped {len(summary.skipped)}", file=sys.stderr)
    return EXIT_SKIPPED if summary.skipped else 0


def _progress_printer():
    started = time.monotonic()

    def show(done: int) -> None:
        rate = done / max(time.monotonic() - started, 1e-9)
        print(f"\r{done:,} posts scored ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
    return show


def run_models(args, settings: Settings) -> int:
    active = active_version(settings.models_dir)
    for version in list_versions(settings.models_dir):
        print(f"{'*' if version == active else ' '} {version}")
    return 0


def run_activate(args, settings: Settings) -> int:
    profile = load_profile(settings.profile)
    modelops.load_triager(models_dir=settings.models_dir, profile=profile, version=args.version)
    set_active_version(settings.models_dir, args.version)
    print(f"active model: {args.version}")
    return 0


def run_tune_thresholds(args, settings: Settings) -> int:
    profile = load_profile(settings.profile)
    train, _ = modelops.load_split(settings.training_data, profile)
    print(f"predicting {len(train)} training posts out of fold ({args.folds} folds) …", file=sys.stderr)
    predictions = modelops.out_of_fold_predictions(train, folds=args.folds)
    suggestion = modelops.suggest_thresholds(train, predictions, profile, target=args.target,
                                             urgent_recall=args.urgent_recall)
    print(json.dumps(suggestion, indent=2))
    print("copy the thresholds into the profile's [thresholds] table", file=sys.stderr)
    return 0


def run_serve(args, settings: Settings) -> int:
    import logging

    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    load_profile(settings.profile)  # a broken profile stops here, before any worker starts
    uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="info")
    return 0


def run_keys_create(args, settings: Settings) -> int:
    from storage.db import Database
    from storage.keys import create_key

    database = Database(settings.database_url)
    with database.session() as session:
        key = create_key(session, name=args.name, role=args.role)
    print(key)
    print(f"issued a {args.role} key for {args.name!r}; it is not stored in clear and cannot be "
          "shown again", file=sys.stderr)
    return 0


def run_keys_revoke(args, settings: Settings) -> int:
    from storage.db import Database
    from storage.keys import revoke_key

    with Database(settings.database_url).session() as session:
        count = revoke_key(session, args.name)
    print(f"revoked {count} key(s) named {args.name!r}", file=sys.stderr)
    return 0 if count else EXIT_INPUT


def run_export_feedback(args, settings: Settings) -> int:
    from storage.db import Database
    from storage.feedback import export_rows

    out = sys.stdout if str(args.output) == "-" else open(args.output, "w", encoding="utf-8")
    count = 0
    try:
        with Database(settings.database_url).session() as session:
            for row in export_rows(session):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"exported {count} feedback rows", file=sys.stderr)
    return 0


def run_cases_overdue(args, settings: Settings) -> int:
    from api.routes.cases import case_out
    from storage.cases import list_cases
    from storage.db import Database

    now = dt.datetime.now(dt.UTC)
    window = args.due_within_hours
    with Database(settings.database_url).session() as session:
        cases = list_cases(session, overdue_at=None if window is not None else now,
                           due_before=now + dt.timedelta(hours=window) if window is not None else None,
                           limit=100_000)
        for case in cases:
            print(json.dumps(case_out(case), ensure_ascii=False))
    print(f"{len(cases)} case(s)", file=sys.stderr)
    return 0


def run_cases_escalate(args, settings: Settings) -> int:
    from storage.cases import escalate_overdue
    from storage.db import Database

    with Database(settings.database_url).session() as session:
        queued = escalate_overdue(session, dt.datetime.now(dt.UTC))
    print(f"queued {queued} escalation(s)", file=sys.stderr)
    return 0


def run_outbox_deliver(args, settings: Settings) -> int:
    from api.connectors import connector_for, deliver_pending
    from storage.db import Database

    connectors = {"reply": connector_for(settings.reply_target, settings.webhook_secret),
                  "escalation": connector_for(settings.escalation_target, settings.webhook_secret)}
    outcome = deliver_pending(Database(settings.database_url), connectors, dt.datetime.now(dt.UTC))
    print(json.dumps(outcome))
    return 0


def run_cases_report(args, settings: Settings) -> int:
    from storage.cases import all_cases, case_report
    from storage.db import Database

    with Database(settings.database_url).session() as session:
        print(json.dumps(case_report(all_cases(session)), ensure_ascii=False, indent=2))
    return 0


def run_corpus(args, settings: Settings) -> int:
    profile = load_profile(settings.profile)
    train, test = modelops.load_split(settings.training_data, profile)
    posts = train + test
    counts = {
        "posts": len(posts), "train": len(train), "test": len(test),
        "intent": Counter(p.intent for p in posts),
        "owner": Counter(p.owner for p in posts),
        "department (ministry posts)": Counter(p.department or "(none)" for p in posts
                                               if p.owner == "ministry"),
        "dialect": Counter(p.dialect for p in posts),
        "dialect family": Counter(DIALECT_FAMILY[p.dialect] for p in posts),
        "platform": Counter(p.platform for p in posts),
        **{f"{flag} true": sum(getattr(p, flag) for p in posts) for flag in FLAG_HEADS},
        "near_duplicate_share": round(near_duplicate_share([p.id for p in posts],
                                                           [p.text for p in posts]), 4),
    }
    print(json.dumps({k: dict(v.most_common()) if isinstance(v, Counter) else v
                      for k, v in counts.items()}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
