"""The governor's buckets as JSON, kept by the journal across restarts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mwstui.throttle.budget import BucketKey, Budget, HourlyWindow
from mwstui.throttle.token_bucket import TokenBucket


def export_budgets(budgets: Mapping[BucketKey, Budget], now: float) -> dict[str, Any]:
    """A JSON-able picture of every bucket, to restore after a restart."""
    out = []
    for key, b in budgets.items():
        b.bucket.refill(now)
        out.append(
            {
                "endpoint": key.endpoint,
                "account": key.account,
                "bucket": key.bucket,
                "capacity": b.bucket.capacity,
                "restore_seconds": b.bucket.restore_seconds,
                "tokens": b.bucket.tokens,
                "updated": b.bucket.updated,
                "hourly": None
                if b.hourly is None
                else {
                    "quota": b.hourly.quota,
                    "remaining": b.hourly.remaining,
                    "resets_at": b.hourly.resets_at,
                    "measured": b.hourly.measured,
                },
                "blocked_until": b.blocked_until,
                "operations": sorted(b.operations),
            }
        )
    return {"version": 1, "saved_at": now, "buckets": out}


def restore_budgets(state: Any, now: float) -> dict[BucketKey, Budget]:
    """Load buckets saved by ``export_state``; tokens refill for the time that passed.

    Returns:
        The buckets by key (an unknown version restores nothing).
    """
    if not isinstance(state, dict) or state.get("version") != 1:
        return {}
    out: dict[BucketKey, Budget] = {}
    for item in state.get("buckets", []):
        try:
            key = BucketKey(str(item["endpoint"]), str(item["account"]), str(item["bucket"]))
            tb = TokenBucket(
                int(item["capacity"]),
                float(item["restore_seconds"]),
                float(item["tokens"]),
                min(float(item["updated"]), now),
            )
            h = item.get("hourly")
            hourly = (
                None
                if h is None
                else HourlyWindow(
                    int(h["quota"]),
                    int(h["remaining"]),
                    _opt_float(h["resets_at"]),
                    bool(h["measured"]),
                )
            )
            blocked = _opt_float(item.get("blocked_until"))
        except (KeyError, TypeError, ValueError):
            continue
        tb.refill(now)
        b = Budget(tb, hourly, set(item.get("operations", [])), blocked)
        out[key] = b
    return out


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)
