"""Prometheus metrics: traffic and latency by route, what the model predicts, review load."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    """One registry per app, so tests and workers never share counters by accident."""

    def __init__(self):
        self.registry = CollectorRegistry()
        self.requests = Counter("rasd_http_requests_total", "HTTP requests",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("rasd_http_request_duration_seconds", "HTTP request latency",
                                 ["route", "method"], registry=self.registry,
                                 buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10))
        self.predictions = Counter("rasd_predictions_total", "Suggested labels by head",
                                   ["head", "label"], registry=self.registry)
        self.posts = Counter("rasd_triaged_posts_total", "Posts triaged", registry=self.registry)
        self.reviews = Counter("rasd_needs_review_total", "Posts sent to an agent's review",
                               registry=self.registry)
        self.review_share = Gauge("rasd_needs_review_share",
                                  "Share of triaged posts that need review", registry=self.registry)
        self.active_model = Gauge("rasd_active_model_info", "The model being served",
                                  ["version"], registry=self.registry)
        self._posts = self._reviews = 0

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)

    def observe_outputs(self, outputs: list[dict]) -> None:
        """Count what was suggested, from the output objects every endpoint returns."""
        for output in outputs:
            self.predictions.labels("intent", output["intent"]["label"]).inc()
            ownership = output["ownership"]
            self.predictions.labels("owner", ownership["entity"] or ownership["owner"]).inc()
            if output["department"]:
                self.predictions.labels("department", output["department"]["label"]).inc()
            self.predictions.labels("urgent", str(output["urgent"]["value"]).lower()).inc()
        reviews = sum(output["needs_review"] for output in outputs)
        self.posts.inc(len(outputs))
        self.reviews.inc(reviews)
        self._posts += len(outputs)
        self._reviews += reviews
        if self._posts:
            self.review_share.set(self._reviews / self._posts)

    def set_active_model(self, version: str) -> None:
        self.active_model.clear()
        self.active_model.labels(version).set(1)

    def render(self) -> bytes:
        return generate_latest(self.registry)
