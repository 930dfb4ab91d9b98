"""Reading MWS query parameters: lists (``X.Id.N``, ``X.member.N``), structs, typed values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone

from mwstui.sandbox.mws.fault import MWSFault, invalid, missing

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)


def parse_iso8601(text: str) -> float | None:
    """Epoch seconds of an ISO 8601 instant (no zone means UTC); None when unreadable.

    Accepts the shapes clients send: ``2020-06-11T08:01:48.486Z``, ``…22.093-07``,
    ``2020-06-12T09:29:10+0000``, seconds or date only.
    """
    m = _ISO.match(text.strip())
    if not m:
        return None
    y, mo, d, h, mi, s, frac, tz = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    micro = int((frac or "0")[:6].ljust(6, "0"))
    zone = UTC
    if tz and tz not in ("Z", "z"):
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
        zone = timezone(sign * timedelta(minutes=minutes))
    return dt.replace(tzinfo=zone, microsecond=micro).timestamp()


class Params:
    """The parameters of one call, with typed accessors that raise the documented errors.

    Args:
        values: name → value (the first occurrence of each name).
        fba: word errors as Fulfillment Outbound does (InvalidRequestException) instead of
            the common InvalidParameterValue.
    """

    def __init__(self, values: Mapping[str, str], *, fba: bool = False) -> None:
        self.values = dict(values)
        self.fba = fba

    def _bad(self, message: str) -> MWSFault:
        code = "InvalidRequestException" if self.fba else "InvalidParameterValue"
        return MWSFault(400, code, message)

    def get(self, name: str) -> str | None:
        v = self.values.get(name)
        return v if v not in (None, "") else None

    def required(self, name: str) -> str:
        v = self.get(name)
        if v is None:
            if self.fba:
                raise self._bad(f"Value for parameter {name} is required.")
            raise missing(name)
        return v

    def max_length(self, name: str, limit: int) -> str | None:
        v = self.get(name)
        if v is not None and len(v) > limit:
            raise self._bad(f"Value {v} for parameter {name} is invalid: longer than {limit}.")
        return v

    def boolean(self, name: str, default: bool | None = None) -> bool | None:
        v = self.get(name)
        if v is None:
            return default
        if v.lower() not in ("true", "false"):
            raise self._bad(f"Value {v} for parameter {name} is invalid.")
        return v.lower() == "true"

    def integer(self, name: str, default: int | None, lo: int, hi: int | None = None) -> int | None:
        v = self.get(name)
        if v is None:
            return default
        try:
            n = int(v)
        except ValueError:
            raise self._bad(f"Value {v} for parameter {name} is invalid.") from None
        if n < lo or (hi is not None and n > hi):
            raise self._bad(f"Value {v} for parameter {name} is invalid.")
        return n

    def date(self, name: str) -> float | None:
        v = self.get(name)
        if v is None:
            return None
        t = parse_iso8601(v)
        if t is None:
            raise self._bad(f"Value {v} for parameter {name} is invalid: not an ISO 8601 date.")
        return t

    def enum(self, name: str, allowed: Iterable[str], default: str | None = None) -> str | None:
        v = self.get(name)
        if v is None:
            return default
        if v not in set(allowed):
            raise self._bad(f"Value {v} for parameter {name} is invalid.")
        return v

    def numbered(self, prefix: str) -> list[str]:
        """``prefix.1``, ``prefix.2`` … in numeric order (``ReportTypeList.Type``)."""
        found: dict[int, str] = {}
        pat = re.compile(re.escape(prefix) + r"\.(\d+)$")
        for k, v in self.values.items():
            m = pat.match(k)
            if m:
                found[int(m.group(1))] = v
        return [found[i] for i in sorted(found)]

    def members(self, prefix: str) -> list[dict[str, str]]:
        """``prefix.member.N.Field`` (or ``prefix.N.Field``) as one dict per N, in order."""
        found: dict[int, dict[str, str]] = {}
        pat = re.compile(re.escape(prefix) + r"\.(?:member\.)?(\d+)\.(.+)$")
        for k, v in self.values.items():
            m = pat.match(k)
            if m:
                found.setdefault(int(m.group(1)), {})[m.group(2)] = v
        return [found[i] for i in sorted(found)]

    def member_values(self, prefix: str) -> list[str]:
        """``prefix.member.N`` or ``prefix.N`` scalar lists (both shapes are in the wild)."""
        found: dict[int, str] = {}
        pat = re.compile(re.escape(prefix) + r"\.(?:member\.)?(\d+)$")
        for k, v in self.values.items():
            m = pat.match(k)
            if m:
                found[int(m.group(1))] = v
        return [found[i] for i in sorted(found)]

    def struct(self, prefix: str) -> dict[str, str]:
        """``prefix.Field`` (and deeper ``prefix.A.B``) → ``{"Field": v, "A.B": v}``."""
        start = prefix + "."
        return {k[len(start) :]: v for k, v in self.values.items() if k.startswith(start)}


def now_tolerance_check(value: float | None, now: float, name: str, slack: float = 900.0) -> None:
    """Dates that must not lie in the future (StartDate/EndDate) — a little slack for skew."""
    if value is not None and value > now + slack:
        raise invalid(f"Value for parameter {name} cannot be in the future.")
