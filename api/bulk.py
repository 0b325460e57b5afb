"""Bulk scoring: a JSON Lines or CSV file of posts in, one output object per line out.

It streams: records are read, scored and written in chunks, with at most a
few chunks in flight, so memory stays flat however large the file.  Chunks
are scored in worker processes (one per core), each loading the model
once, and written back in input order.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from nlp.errors import InputError
from router.decide import to_output
from router.incoming import InvalidPost, parse_incoming
from router.triage import Triager

CHUNK_POSTS = 2000


@dataclass(frozen=True, slots=True)
class BadRecord:
    line: int
    reason: str
    field: str | None = None


@dataclass
class ScoreSummary:
    scored: int = 0
    skipped: list[BadRecord] = field(default_factory=list)


def read_records(path: Path, fmt: str) -> Iterator[tuple[int, object]]:
    """(line number, record) for every non-blank record: raw bytes of a JSON line, a CSV row
    as a dict, or a BadRecord."""
    with open(path, "rb") as stream:
        if fmt == "csv":
            yield from _csv_records(stream)
        else:
            yield from _jsonl_records(stream)


def _jsonl_records(stream) -> Iterator[tuple[int, object]]:
    """Raw lines: decoding happens in the workers, so the reading process stays light."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if raw.strip():
            yield number, raw


def decode_record(number: int, raw: object) -> object:
    """A raw JSON line → its decoded value (or a BadRecord); CSV rows pass through."""
    if not isinstance(raw, bytes):
        return raw
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return BadRecord(number, "not UTF-8 text")
    except json.JSONDecodeError as error:
        return BadRecord(number, f"not valid JSON ({error.msg})")


def _csv_records(stream) -> Iterator[tuple[int, object]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        if reader.fieldnames is None:
            return
        for row in reader:
            extra = row.pop(None, None)
            if extra:
                yield reader.line_num, BadRecord(reader.line_num, "more cells than header columns")
            else:
                yield reader.line_num, row
    except UnicodeDecodeError as error:
        raise InputError(f"line {reader.line_num + 1}: not UTF-8 text; save the file as UTF-8"
                         ) from error
    except csv.Error as error:
        raise InputError(f"line {reader.line_num}: malformed CSV ({error})") from error


@dataclass(frozen=True, slots=True)
class ChunkResult:
    text: str  # output lines, each ending in a newline
    scored: int
    bad: list[BadRecord]


def triage_records(triager: Triager, chunk: list[tuple[int, object]], *, zone: dt.tzinfo,
                   max_chars: int, require_id: bool = True,
                   stop_at_bad: bool = False) -> list[dict | BadRecord]:
    """Decode, validate and triage records; each gets its output object or a BadRecord, in order.

    With ``stop_at_bad`` the result ends at the first bad record.
    """
    results: list[dict | BadRecord | None] = []
    posts, slots = [], []
    for number, raw in chunk:
        record = decode_record(number, raw)
        if not isinstance(record, BadRecord):
            try:
                posts.append(parse_incoming(record, max_chars=max_chars, zone=zone,
                                            require_id=require_id))
                slots.append(len(results))
                results.append(None)
                continue
            except InvalidPost as error:
                record = BadRecord(number, str(error), error.field)
        results.append(record)
        if stop_at_bad:
            break
    for slot, decision in zip(slots, triager.triage(posts)):
        results[slot] = to_output(decision)
    return results  # type: ignore[return-value]


def score_chunk(triager: Triager, chunk: list[tuple[int, object]], *, zone: dt.tzinfo,
                max_chars: int, skip_bad: bool) -> ChunkResult:
    """One chunk of the bulk command: output lines, and the bad records apart."""
    results = triage_records(triager, chunk, zone=zone, max_chars=max_chars,
                             stop_at_bad=not skip_bad)
    outputs = [r for r in results if isinstance(r, dict)]
    return ChunkResult(json_lines(outputs), len(outputs),
                       [r for r in results if isinstance(r, BadRecord)])


def json_lines(objects: list[dict]) -> str:
    """One compact JSON object per line, each line ending in a newline.

    orjson, because writing JSON with the standard library costs bulk
    scoring about as much as running a head.
    """
    if not objects:
        return ""
    return (b"\n".join(map(orjson.dumps, objects)) + b"\n").decode("utf-8")


# Worker processes keep one triager each, built once by the pool's initializer.
_worker_triager: Triager | None = None


def _init_worker(load: Callable[[], Triager]) -> None:
    """Load the model in a worker, unless it came with the fork from the reading process."""
    global _worker_triager
    if _worker_triager is None:
        _worker_triager = load()


def _score_in_worker(chunk, zone, max_chars, skip_bad) -> ChunkResult:
    return score_chunk(_worker_triager, chunk, zone=zone, max_chars=max_chars, skip_bad=skip_bad)


def _chunks(records: Iterable[tuple[int, object]]) -> Iterator[list[tuple[int, object]]]:
    chunk: list[tuple[int, object]] = []
    for item in records:
        chunk.append(item)
        if len(chunk) >= CHUNK_POSTS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def score_file(records: Iterable[tuple[int, object]], out, *, triager: Triager,
               load: Callable[[], Triager], zone: dt.tzinfo, max_chars: int, workers: int, skip_bad: bool,
               progress: Callable[[int], None] | None = None) -> ScoreSummary:
    """Score every record into ``out``, in input order.

    A bad record is skipped and listed in the summary when ``skip_bad``,
    else it stops the run with InputError naming its line.  The reading
    process only reads and writes; decoding and scoring run in ``workers``
    processes, with at most two chunks each in flight so memory stays flat.
    ``triager`` is the loaded pipeline; ``load`` builds it again in a worker
    that does not inherit it (a platform that spawns rather than forks).
    """
    summary = ScoreSummary()
    options = {"zone": zone, "max_chars": max_chars, "skip_bad": skip_bad}

    def write(result: ChunkResult) -> None:
        out.write(result.text)
        summary.scored += result.scored
        summary.skipped.extend(result.bad)
        if result.bad and not skip_bad:
            raise InputError(f"line {result.bad[0].line}: {result.bad[0].reason}")
        if progress:
            progress(summary.scored)

    if workers <= 1:
        for chunk in _chunks(records):
            write(score_chunk(triager, chunk, **options))
        return summary
    global _worker_triager
    _worker_triager = triager  # forked workers share it; spawned ones call ``load``
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(load,)) as pool:
        pending: deque[Future] = deque()
        try:
            for chunk in _chunks(records):
                pending.append(pool.submit(_score_in_worker, chunk, zone, max_chars, skip_bad))
                if len(pending) >= 2 * workers:
                    write(pending.popleft().result())
            while pending:
                write(pending.popleft().result())
        finally:
            for future in pending:
                future.cancel()
    return summary
