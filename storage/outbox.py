"""The outbox: what must leave Rasd, queued in the same transaction as the change that owes it.

A delivery is queued once per key, retried with exponential backoff while
its connector fails, and marked sent once; the connector receives the key
with every attempt, so a retry after a crash re-sends the same key instead
of posting anew.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.cases import utc
from storage.tables import Delivery

FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 6 * 3600


def enqueue(session: Session, *, key: str, kind: str, payload: dict, now: dt.datetime,
            case_id: int | None = None) -> bool:
    """Queue a delivery unless one with ``key`` exists; True when it was queued now."""
    if session.scalar(select(Delivery.id).where(Delivery.key == key)) is not None:
        return False
    session.add(Delivery(key=key, kind=kind, case_id=case_id, payload=payload, state="pending",
                         attempts=0, next_attempt_at=utc(now)))
    session.flush()
    return True


LEASE_SECONDS = 300  # a sender that dies mid-send gives its delivery back after this


def due(session: Session, now: dt.datetime, kinds: tuple[str, ...], limit: int = 100) -> list[int]:
    """Ids of deliveries of ``kinds`` waiting to be sent, and of sends whose lease ran out."""
    return list(session.scalars(
        select(Delivery.id).where(Delivery.state.in_(("pending", "sending")),
                                  Delivery.kind.in_(kinds), Delivery.next_attempt_at <= utc(now))
        .order_by(Delivery.id).limit(limit)))


def claim(session: Session, delivery_id: int, now: dt.datetime) -> Delivery | None:
    """Take one delivery to send, or None if another sender took it first.

    A compare-and-set on the due time: the first claim moves it a lease into
    the future, so a second sender's claim matches nothing.
    """
    now = utc(now)
    result = session.execute(
        update(Delivery).where(Delivery.id == delivery_id, Delivery.state.in_(("pending", "sending")),
                               Delivery.next_attempt_at <= now)
        .values(state="sending", next_attempt_at=now + dt.timedelta(seconds=LEASE_SECONDS))
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return None
    return session.get(Delivery, delivery_id, populate_existing=True)


def mark_sent(delivery: Delivery, *, external_id: str, now: dt.datetime) -> None:
    delivery.state, delivery.sent_at, delivery.external_id = "sent", utc(now), external_id
    delivery.attempts += 1
    delivery.last_error = None


def mark_failed(delivery: Delivery, *, error: str, now: dt.datetime) -> None:
    """Try again later: 30 s, 1 min, 2 min, … capped at six hours."""
    delivery.state = "pending"
    delivery.attempts += 1
    delivery.last_error = error[:2000]
    wait = min(FIRST_RETRY_SECONDS * 2 ** (delivery.attempts - 1), MAX_RETRY_SECONDS)
    delivery.next_attempt_at = utc(now) + dt.timedelta(seconds=wait)


def deliveries(session: Session, kind: str | None = None) -> list[Delivery]:
    query = select(Delivery).order_by(Delivery.id)
    if kind:
        query = query.where(Delivery.kind == kind)
    return list(session.scalars(query))
