"""HTTP API latency, throughput and memory on loopback, beside the CLI's throughput.

    uv run python bench/api_load.py [--rate 200] [--seconds 10] [--workers 1]

Starts ``rasd serve`` on 127.0.0.1 (auth off, a temporary database), then:
  * single posts at a fixed arrival rate (open loop, bounded by --seconds):
    latency p50/p99 and the rate achieved;
  * batches of 1,000 posts, one after another: posts/s;
  * one NDJSON stream of --stream-posts posts: posts/s;
  * the server's resident memory (all its processes) at the end;
and, as the baseline measured in the same run, ``rasd score`` on the same
posts.  The load generator shares the machine's cores with the server, so
the figures are a floor, not a ceiling.  Targets (2 cores): p99 <= 25 ms at
200 requests/s; batch and stream >= 5,000 posts/s; RSS <= 400 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.modelops import load_split  # noqa: E402
from router.profile import load_profile  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, from /proc."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


async def fixed_rate(client: httpx.AsyncClient, texts: list[str], rate: float, seconds: float):
    latencies: list[float] = []
    errors = 0

    async def one(i: int) -> None:
        nonlocal errors
        started = time.perf_counter()
        response = await client.post("/v1/triage", json={"id": str(i), "text": texts[i % len(texts)]})
        latencies.append(time.perf_counter() - started)
        errors += response.status_code != 200

    tasks = []
    begin = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = begin + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    return latencies, errors, len(tasks) / (time.perf_counter() - begin)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200, help="single-post requests per second")
    parser.add_argument("--seconds", type=float, default=10, help="length of the fixed-rate run")
    parser.add_argument("--batches", type=int, default=10, help="batches of 1,000 posts to send")
    parser.add_argument("--stream-posts", type=int, default=20_000, help="posts in the stream")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()

    _, test = load_split(ROOT / "training_data", load_profile())
    texts = [p.text for p in test]
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "RASD_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
               "RASD_AUTH_DISABLED": "true"}
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port),
             "--workers", str(args.workers)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.3)

            async def run_single():
                limits = httpx.Limits(max_connections=64)
                async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
                    for i in range(50):  # warm-up
                        await client.post("/v1/triage", json={"text": texts[i]})
                    # The generator's own full garbage collections (it holds the corpus) stall
                    # its event loop for ~90 ms and were counted as server latency: freeze first.
                    gc.collect()
                    gc.freeze()
                    return await fixed_rate(client, texts, args.rate, args.seconds)

            latencies, errors, achieved = asyncio.run(run_single())
            with httpx.Client(base_url=base, timeout=120) as client:
                posts = [{"id": str(i), "text": texts[i % len(texts)]} for i in range(1000)]
                batch_body = json.dumps({"posts": posts}, ensure_ascii=False).encode()
                headers = {"content-type": "application/json"}
                started = time.perf_counter()
                for _ in range(args.batches):  # the body is built once: time the server, not us
                    response = client.post("/v1/triage/batch", content=batch_body, headers=headers)
                    assert response.status_code == 200
                batch_rate = args.batches * 1000 / (time.perf_counter() - started)

                body = "".join(json.dumps({"id": str(i), "text": texts[i % len(texts)]},
                                          ensure_ascii=False) + "\n"
                               for i in range(args.stream_posts)).encode()
                started = time.perf_counter()
                answered = client.post("/v1/triage/stream", content=body).text.count("\n")
                stream_rate = answered / (time.perf_counter() - started)
            server_mb = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)

        source = Path(tmp) / "posts.jsonl"
        source.write_bytes(body)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "api.cli", "score", str(source), "-o",
                        str(Path(tmp) / "out.jsonl")], cwd=ROOT, check=True,
                       stderr=subprocess.DEVNULL)
        cli_rate = args.stream_posts / (time.perf_counter() - started)

    quantiles = statistics.quantiles(latencies, n=100)
    print(f"server: rasd serve, {args.workers} worker(s); load generator on the same machine")
    print(f"single posts: {achieved:,.0f} req/s achieved of {args.rate:,.0f} asked, "
          f"p50 {quantiles[49] * 1000:.1f} ms, p99 {quantiles[98] * 1000:.1f} ms, errors {errors}")
    print(f"batch (1,000 posts): {batch_rate:,.0f} posts/s")
    print(f"stream ({args.stream_posts:,} posts): {stream_rate:,.0f} posts/s")
    print(f"server RSS: {server_mb:,.0f} MB")
    print(f"baseline, rasd score on the same {args.stream_posts:,} posts "
          f"(start-up included): {cli_rate:,.0f} posts/s")
    print(f"targets: p99 <= 25 ms {'met' if quantiles[98] <= 0.025 else 'NOT met'}; "
          f"batch >= 5,000/s {'met' if batch_rate >= 5000 else 'NOT met'}; "
          f"stream >= 5,000/s {'met' if stream_rate >= 5000 else 'NOT met'}; "
          f"RSS <= 400 MB {'met' if server_mb <= 400 else 'NOT met'}")


if __name__ == "__main__":
    main()
