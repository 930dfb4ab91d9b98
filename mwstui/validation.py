"""Checks of what a user types, shared by the clients (before sending) and the UI forms.

Every check is a pure function returning ``None`` when the value is acceptable, else a
one-line message that names the field (``"SellerFulfillmentOrderId is longer than 40
characters (41)"``), so a form can show it next to the field. The clients call
``check``, which raises ``LocalValidationError`` (an ``InvalidParameterError`` with code
``LocalValidation`` and the field name) before anything is journaled or sent. Limits,
enumerations and report types come from the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Literal

from mwstui.catalog import load_catalog
from mwstui.errors import InvalidParameterError

LOCAL_VALIDATION = "LocalValidation"
"""``ApiError.code`` of a value refused before sending."""

SCHEDULE_DATE_GRACE = timedelta(minutes=5)
"""How far in the past a schedule date typed as "now" may be (typing takes time)."""

ReportTypePurpose = Literal["request", "schedule", "filter"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_REPORT_TYPE_SHAPE = re.compile(r"^_[A-Z0-9_]+_$")
_DIGITS = re.compile(r"^[0-9]+$")


class LocalValidationError(InvalidParameterError, ValueError):
    """A value refused before anything was sent.

    Also a ``ValueError``, so callers written against the older argument checks still
    catch it.

    Args:
        field: the parameter or form field at fault (``SellerFulfillmentOrderId``).
        message: one line naming the field and what is wrong.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(LOCAL_VALIDATION, message)


def check(field: str, problem: str | None) -> None:
    """Raise ``LocalValidationError`` for ``field`` when a check found a ``problem``."""
    if problem is not None:
        raise LocalValidationError(field, problem)


def _limit(field: str) -> int | None:
    value = load_catalog().mws_enums["limits"].get(field)
    return None if value is None else int(value)


def _shown(value: str, width: int = 40) -> str:
    """A value quoted for a message, cut so a pasted novel stays one short line."""
    short = value if len(value) <= width else value[: width - 1] + "…"
    return repr(short)


# -- text and ids ---------------------------------------------------------------------------


def required(field: str, value: str | None) -> str | None:
    """A value that must not be blank."""
    if value is None or not value.strip():
        return f"{field} is required"
    return None


def text(
    field: str, value: str | None, *, limit: int | None = None, need: bool = False
) -> str | None:
    """Free text: at most ``limit`` characters (default: the catalog limit for ``field``).

    Args:
        field: the parameter name (``DisplayableOrderComment``).
        value: the text; blank is fine unless ``need``.
        limit: overrides the catalog's limit.
        need: the value is required.
    """
    if value is None or not value.strip():
        return f"{field} is required" if need else None
    most = limit if limit is not None else _limit(field)
    if most is not None and len(value) > most:
        return f"{field} is longer than {most} characters ({len(value)})"
    return None


def fulfillment_order_id(value: str | None, field: str = "SellerFulfillmentOrderId") -> str | None:
    """A SellerFulfillmentOrderId: not blank, at most 40 characters, no control characters."""
    if problem := text(field, value, need=True):
        return problem
    assert value is not None
    if _CONTROL.search(value):
        return f"{field} contains control characters"
    return None


def _digits(field: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return f"{field} is required"
    if not _DIGITS.match(value.strip()):
        return f"{field} must be digits only, not {_shown(value.strip())}"
    return None


def report_request_id(value: str | None) -> str | None:
    """A ReportRequestId (``51781018424``): digits only."""
    return _digits("ReportRequestId", value)


def report_id(value: str | None) -> str | None:
    """A ReportId / GeneratedReportId (``21175694446018424``): digits only."""
    return _digits("ReportId", value)


def sellercenter_id(value: str | int | None, field: str = "OrderId") -> str | None:
    """A SellerCenter OrderId or OrderItemId: a positive integer."""
    return _digits(field, None if value is None else str(value))


def marketplace_id(value: str | None) -> str | None:
    """A MarketplaceId the catalog knows (``ATVPDKIKX0DER``)."""
    if problem := required("MarketplaceId", value):
        return problem
    assert value is not None
    if load_catalog().marketplace(value.strip()) is None:
        return f"MarketplaceId {_shown(value.strip())} is not a known marketplace"
    return None


def email(value: str | None, field: str = "NotificationEmail") -> str | None:
    """A notification e-mail address: has an ``@``, at most the catalog's 64 characters."""
    if problem := text(field, value, need=True):
        return problem
    assert value is not None
    if "@" not in value or _CONTROL.search(value) or " " in value.strip():
        return f"{field} {_shown(value)} is not an e-mail address"
    return None


def reason(
    value: str | None, allowed: Collection[str] | None = None, field: str = "Reason"
) -> str | None:
    """A required reason, optionally one of ``allowed`` (the ``canceled`` reason names)."""
    if problem := required(field, value):
        return problem
    if allowed is not None and value not in allowed:
        return f"{field} {_shown(value or '')} is not one of the offered reasons"
    return None


def positive_int(
    field: str, value: object, *, minimum: int = 1, maximum: int | None = None
) -> str | None:
    """An integer in ``minimum`` … ``maximum`` (bools and text are refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{field} must be a whole number, not {_shown(str(value))}"
    if value < minimum or (maximum is not None and value > maximum):
        upper = f"–{maximum}" if maximum is not None else " or more"
        return f"{field} must be {minimum}{upper}, got {value}"
    return None


def max_count(value: object) -> str | None:
    """MaxCount of a Reports listing: 1 … the catalog's limit (100)."""
    return positive_int("MaxCount", value, maximum=_limit("MaxCount"))


# -- catalog enumerations --------------------------------------------------------------------


def report_type(value: str | None, purpose: ReportTypePurpose = "request") -> str | None:
    """A ReportType: in the catalog and requestable / schedulable, or (filters) well formed.

    Args:
        value: ``_GET_FLAT_FILE_ORDERS_DATA_``.
        purpose: ``request`` (RequestReport), ``schedule`` (ManageReportSchedule) or
            ``filter`` (list filters: only the ``_NAME_`` shape is checked, since the
            service may list types the catalog does not know).
    """
    if problem := required("ReportType", value):
        return problem
    assert value is not None
    name = value.strip()
    if not _REPORT_TYPE_SHAPE.match(name):
        return f"ReportType {_shown(name)} is not a report type (like _GET_ORDERS_DATA_)"
    if purpose == "filter":
        return None
    known = {t.type: t for t in load_catalog().report_types}.get(name)
    if known is None:
        return f"ReportType {name} is not a known report type"
    if purpose == "request" and not known.requestable:
        return f"ReportType {name} cannot be requested (Amazon generates it)"
    if purpose == "schedule" and not known.schedulable:
        return f"ReportType {name} cannot be scheduled"
    return None


def schedule(value: str | None) -> str | None:
    """A Schedule from the catalog (``_1_DAY_``; ``_NEVER_`` deletes)."""
    if problem := required("Schedule", value):
        return problem
    if value not in load_catalog().schedules:
        return f"unknown Schedule {value!r}"
    return None


def report_status(value: str | None) -> str | None:
    """A ReportProcessingStatus filter value from the catalog."""
    if problem := required("ReportProcessingStatus", value):
        return problem
    if value not in load_catalog().enum("report_processing_status"):
        return f"ReportProcessingStatus {_shown(value or '')} is not a known status"
    return None


# -- dates -----------------------------------------------------------------------------------


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def date_range(
    start: datetime | None,
    end: datetime | None,
    *,
    now: datetime | None = None,
    start_field: str = "StartDate",
    end_field: str = "EndDate",
) -> str | None:
    """A date range: start not after end and, when ``now`` is given, not in the future.

    Naive datetimes are taken as UTC.
    """
    if start is not None and now is not None and _aware(start) > _aware(now):
        return f"{start_field} is in the future"
    if start is not None and end is not None and _aware(start) > _aware(end):
        return f"{start_field} must be earlier than {end_field}"
    return None


def schedule_date(
    when: datetime | None, now: datetime, *, grace: timedelta = SCHEDULE_DATE_GRACE
) -> str | None:
    """A ScheduleDate: not in the past (beyond ``grace``), at most 366 days ahead (catalog)."""
    if when is None:
        return None
    days = int(load_catalog().mws_enums["schedule_date_max_days_ahead"])
    at, now = _aware(when), _aware(now)
    if at > now + timedelta(days=days):
        return f"ScheduleDate must be at most {days} days ahead"
    if at < now - grace:
        return "ScheduleDate is in the past"
    return None
