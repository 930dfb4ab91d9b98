"""Small wire helpers: SP-API dates, JSON bodies, comma-separated query arrays."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from mwstui.sandbox.mws.params import parse_iso8601
from mwstui.sandbox.spapi.errors import invalid

JSON_TYPE = "application/json"


def report_time(epoch: float) -> str:
    """Reports dates as production sends them: ``2021-08-03T01:02:25+00:00`` (spec §3)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def fba_time(epoch: float) -> str:
    """Fulfillment Outbound dates: ``2020-02-07T01:23:30Z`` (spec §3, §6.2)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_time(name: str, text: str, message: str | None = None) -> float:
    """An ISO 8601 parameter as epoch seconds.

    Raises:
        SpapiError: 400 InvalidInput naming the parameter (or ``message`` when given).
    """
    value = parse_iso8601(text)
    if value is None:
        raise invalid(message or f"Invalid {name}: {text!r} is not an ISO 8601 date-time.")
    return value


def csv_values(name: str, text: str, *, most: int) -> list[str]:
    """A comma-separated query array (Swagger 2.0 ``csv``), 1 to ``most`` items.

    Raises:
        SpapiError: 400 InvalidInput for an empty item or too many.
    """
    values = [v.strip() for v in text.split(",")]
    if not values or any(not v for v in values):
        raise invalid(f"Invalid {name}: empty value.")
    if len(values) > most:
        raise invalid(f"{name} accepts at most {most} values, {len(values)} were sent.")
    return values


def read_json_object(body: bytes) -> dict[str, Any]:
    """A request body that must be one JSON object.

    Raises:
        SpapiError: 400 InvalidInput when it is not.
    """
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise invalid("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise invalid("The request body must be a JSON object.")
    return data
