"""Shared test helpers for the SellerCenter client: a journal and an observer that remember."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mwstui.calls import CallRecord


@dataclass
class MemoryJournal:
    """A MutationRecorder keeping entries in memory."""

    entries: list[dict[str, Any]] = field(default_factory=list)

    def record_intent(
        self,
        *,
        profile: str,
        service: str,
        account: str,
        operation: str,
        params: Mapping[str, str],
        items: Sequence[str],
    ) -> int:
        self.entries.append(
            {
                "profile": profile,
                "service": service,
                "account": account,
                "operation": operation,
                "params": dict(params),
                "items": list(items),
                "status": "pending",
            }
        )
        return len(self.entries)

    def record_outcome(
        self,
        entry_id: int,
        *,
        status: str,
        request_id: str | None = None,
        http_status: int | None = None,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> None:
        self.entries[entry_id - 1].update(
            status=status, http_status=http_status, error_code=error_code
        )


@dataclass
class Records:
    """A CallObserver collecting every CallRecord."""

    calls: list[CallRecord] = field(default_factory=list)

    def __call__(self, record: CallRecord) -> None:
        self.calls.append(record)
