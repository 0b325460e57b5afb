"""A post as clients send it: one record in, a validated ``IncomingPost`` out.

The bulk command and the HTTP API both read posts through ``parse_incoming``,
so a post is valid or invalid for the same reasons everywhere.  Unknown
fields are ignored everywhere: exports carry many columns, and a client
adding a field must not break.
"""

from __future__ import annotations

import datetime as dt
import uuid

from router.decide import IncomingPost


class InvalidPost(ValueError):
    """Why a record cannot be triaged, and which field is at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def parse_incoming(record: object, *, max_chars: int, zone: dt.tzinfo,
                   require_id: bool = True) -> IncomingPost:
    """One input record → a post; InvalidPost says why it cannot be scored.

    ``id`` (unless ``require_id`` is off: the API then makes one) and
    ``text`` are required; a ``created_at`` without an offset is read in the
    profile's time zone.
    """
    if not isinstance(record, dict):
        raise InvalidPost("a record must be an object with id and text")
    post_id, text = record.get("id"), record.get("text")
    if post_id is None or (isinstance(post_id, str) and not post_id.strip()):
        if require_id:
            raise InvalidPost("id is missing", "id")
        post_id = uuid.uuid4().hex
    if not isinstance(post_id, (str, int)) or isinstance(post_id, bool):
        raise InvalidPost("id must be a string or an integer", "id")
    if not isinstance(text, str) or not text.strip():
        raise InvalidPost("text is missing or empty", "text")
    if len(text) > max_chars:
        raise InvalidPost(f"text is longer than {max_chars} characters", "text")
    return IncomingPost(
        id=str(post_id), text=text,
        created_at=parse_time(record.get("created_at"), zone),
        platform=_optional_str(record, "platform"), lang=_optional_str(record, "lang"),
    )


def parse_time(value: object, zone: dt.tzinfo) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidPost("created_at must be an ISO 8601 string", "created_at")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise InvalidPost(f"created_at {value!r} is not an ISO 8601 time", "created_at") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _optional_str(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidPost(f"{name} must be a string", name)
    return value or None
