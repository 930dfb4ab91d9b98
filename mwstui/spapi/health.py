"""What ``mwstui doctor`` asks of an SP-API profile: the token, the clock, one cheap call.

Each check is run even when an earlier one failed where that still makes sense, and
each ends in one line for the user; nothing raises for an expected failure.
"""

from __future__ import annotations

from dataclasses import dataclass

from mwstui.errors import MwstuiError
from mwstui.spapi.client import SPAPIClient

CHEAP_CALL = "listAllFulfillmentOrders"
"""The cheapest read of these APIs (2 requests/s, burst 30), asked for the last minute only:
getReports would cost a token that takes 45 s to come back."""
SKEW_WARNING = 300.0
"""Seconds of clock difference worth a warning (``x-amz-date`` is checked by Amazon)."""


@dataclass(frozen=True, slots=True)
class Check:
    """One doctor line: what was checked, whether it passed, and the detail."""

    name: str
    ok: bool
    detail: str


async def check_connection(client: SPAPIClient) -> list[Check]:
    """Exchange the refresh token, then make one cheap call and compare clocks.

    Returns:
        One ``Check`` per step: ``LWA token``, ``SP-API call``, ``clock``.
    """
    checks: list[Check] = []
    try:
        await client.tokens.token()
    except MwstuiError as exc:
        hint = getattr(exc, "hint", None)
        detail = f"{exc}" + (f" — {hint}" if hint else "")
        return [Check("LWA token", False, detail)]
    checks.append(Check("LWA token", True, f"access token from {client.tokens.url}"))
    try:
        since = client.clock.now().replace(microsecond=0)
        page = await client.fulfillment.iter_orders(query_start_date=since).__anext__()
    except MwstuiError as exc:
        hint = getattr(exc, "hint", None)
        checks.append(Check("SP-API call", False, f"{exc}" + (f" — {hint}" if hint else "")))
    else:
        rid = page.meta.request_id or "no request id"
        checks.append(Check("SP-API call", True, f"{CHEAP_CALL} answered ({rid})"))
    skew = client.clock_skew
    if skew is None:
        checks.append(Check("clock", True, "the server sent no Date header to compare"))
    else:
        word = "ahead of" if skew > 0 else "behind"
        ok = abs(skew) < SKEW_WARNING
        checks.append(Check("clock", ok, f"this machine is {abs(skew):.0f} s {word} Amazon"))
    return checks
