"""Triage one post, a batch, or an NDJSON stream: the pipeline of the bulk command, over HTTP."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from api.bulk import BadRecord, json_lines, triage_records
from api.deps import MetricsDep, SettingsDep, TriagerDep, require
from api.errors import ApiError, error_body
from api.schemas import BatchIn, BatchOut, PostIn, TriageOut
from router.decide import to_output
from router.incoming import InvalidPost, parse_incoming
from router.triage import Triager

router = APIRouter(prefix="/v1/triage", tags=["triage"])
STREAM_CHUNK = 1000


class RequestStreamingResponse(StreamingResponse):
    """A streaming answer whose generator itself reads the request body.

    Starlette's StreamingResponse may read the request channel to notice a
    disconnect, which would steal the body from the generator.  Here the
    generator is the only reader; a client that goes away ends the body it
    reads, and with it the answer.
    """

    async def __call__(self, scope, receive, send) -> None:
        await self.stream_response(send)


def _json(body: dict) -> Response:
    """A JSON answer written by orjson: the standard library's costs a batch a tenth of its time."""
    return Response(orjson.dumps(body), media_type="application/json")


def _triage(triager: Triager, posts: list[PostIn], max_chars: int, metrics) -> list[dict]:
    zone = triager.profile.calendar.zone
    incoming = []
    for index, post in enumerate(posts):
        try:
            incoming.append(parse_incoming(post.model_dump(), max_chars=max_chars, zone=zone,
                                           require_id=False))
        except InvalidPost as error:
            field = f"posts.{index}.{error.field}" if len(posts) > 1 else error.field
            raise ApiError(422, "invalid_post", str(error), field) from error
    outputs = [to_output(d) for d in triager.triage(incoming)]
    metrics.observe_outputs(outputs)
    return outputs


@router.post("", response_model=TriageOut, dependencies=[require("agent", "integrator")],
             summary="Triage one post")
def triage_post(post: PostIn, triager: TriagerDep, settings: SettingsDep, metrics: MetricsDep):
    return _json(_triage(triager, [post], settings.max_text_chars, metrics)[0])


@router.post("/batch", response_model=BatchOut, dependencies=[require("integrator")],
             summary="Triage up to 1,000 posts, answered in input order")
def triage_batch(batch: BatchIn, triager: TriagerDep, settings: SettingsDep, metrics: MetricsDep):
    if len(batch.posts) > settings.max_batch_posts:
        raise ApiError(413, "too_many_posts",
                       f"a batch holds at most {settings.max_batch_posts} posts; "
                       f"use /v1/triage/stream for more", "posts")
    data = _triage(triager, batch.posts, settings.max_text_chars, metrics)
    return _json({"data": data, "count": len(data)})


@router.post("/stream", dependencies=[require("integrator")],
             summary="Triage NDJSON posts as they arrive; NDJSON out, in order",
             description="One post per line in, one output object per line out. A bad line "
                         "is answered in place with `{\"line\": N, \"error\": {...}}` and the "
                         "stream goes on. Memory stays flat however many posts are sent.",
             openapi_extra={"requestBody": {"content": {"application/x-ndjson": {
                 "schema": {"type": "string"},
                 "example": '{"id": "p1", "text": "وين الدواء"}\n{"id": "p2", "text": "التطبيق معلق"}\n'}}}})
async def triage_stream(request: Request, triager: TriagerDep, settings: SettingsDep,
                        metrics: MetricsDep) -> StreamingResponse:
    zone, max_chars = triager.profile.calendar.zone, settings.max_text_chars
    max_line = max_chars * 4 + 4096  # the longest text in UTF-8, plus the other fields

    def score(chunk: list[tuple[int, object]]) -> str:
        results = triage_records(triager, chunk, zone=zone, max_chars=max_chars, require_id=False)
        metrics.observe_outputs([r for r in results if isinstance(r, dict)])
        return json_lines([
            {"line": result.line, **error_body("invalid_post", result.reason, result.field)}
            if isinstance(result, BadRecord) else result
            for result in results])

    async def answer():
        buffer, number, chunk, overlong = b"", 0, [], False
        async for piece in request.stream():
            buffer += piece
            *complete, buffer = buffer.split(b"\n")
            for raw in complete:
                number += 1
                if overlong:  # the tail of a line already answered as too long
                    overlong = False
                    continue
                if raw.strip():
                    chunk.append((number, raw))
            if len(buffer) > max_line:
                chunk.append((number + 1, BadRecord(number + 1, "line is too long")))
                buffer, overlong = b"", True
            if len(chunk) >= STREAM_CHUNK:
                yield await run_in_threadpool(score, chunk)
                chunk = []
        if buffer.strip() and not overlong:
            chunk.append((number + 1, buffer))
        if chunk:
            yield await run_in_threadpool(score, chunk)

    return RequestStreamingResponse(answer(), media_type="application/x-ndjson")
