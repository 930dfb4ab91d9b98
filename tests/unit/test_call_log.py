"""The call log every client reports through: records, journal intent and outcome, alike."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from mwstui.call_log import JOURNAL_MESSAGE_LIMIT, CallLog
from mwstui.calls import CallRecord
from mwstui.catalog import load_catalog
from mwstui.errors import OutcomeUnknownError, ServiceError
from mwstui.secret import MASK, Secret


class FakeJournal:
    """Keeps what a client recorded, as the SQLite journal would."""

    def __init__(self) -> None:
        self.intents: list[dict[str, Any]] = []
        self.outcomes: list[dict[str, Any]] = []

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
        self.intents.append(
            {"profile": profile, "service": service, "account": account,
             "operation": operation, "params": dict(params), "items": list(items)}
        )  # fmt: skip
        return len(self.intents)

    def record_outcome(self, entry_id: int, **fields: Any) -> None:
        self.outcomes.append({"id": entry_id, **fields})


def _log(service: str = "sellercenter") -> tuple[CallLog, FakeJournal, list[CallRecord]]:
    journal = FakeJournal()
    log = CallLog(service, "sc.example", "user@example.com", journal, "eu")
    seen: list[CallRecord] = []
    log.add_observer(seen.append)
    return log, journal, seen


def _record() -> dict[str, Any]:
    return {"started_at": datetime(2026, 12, 6, tzinfo=UTC), "attempt": 1, "waited": 0.0}


def test_a_secret_the_server_echoes_never_reaches_an_observer() -> None:
    secret = Secret("sc-api-key-ECHOED-123")
    log, _, seen = _log()
    op = load_catalog().sections["sellercenter"].operations["GetOrders"]
    record = _record() | {
        "response_text": f"<Error>bad key {secret.reveal()}</Error>",
        "error_code": "LocalError",
        "error_message": f"could not save {secret.reveal()}",
    }
    log.attempt(op, record, duration=0.1)
    assert seen[0].response_text == f"<Error>bad key {MASK}</Error>"
    assert seen[0].error_message == f"could not save {MASK}"
    assert seen[0].service == "sellercenter" and seen[0].method == op.method


def test_the_journal_keeps_an_error_as_one_bounded_line_for_every_service() -> None:
    for service in ("mws", "sellercenter", "spapi"):
        log, journal, _ = _log(service)
        op = load_catalog().sections["sellercenter"].operations["SetStatusToCanceled"]
        entry = log.intent(op, {"Action": op.name, "OrderItemId": "1"}, ["1"])
        message = "first line\n  second\tline " + "x" * 2 * JOURNAL_MESSAGE_LIMIT
        log.outcome(entry, ServiceError("E500", message, operation=op.name))
        written = journal.outcomes[-1]["error_message"]
        assert "\n" not in written and "\t" not in written
        assert written.startswith("first line second line x")
        assert len(written) == JOURNAL_MESSAGE_LIMIT
        assert journal.intents[-1]["service"] == service


def test_a_lost_answer_is_unknown_and_a_read_writes_nothing() -> None:
    log, journal, _ = _log()
    ops = load_catalog().sections["sellercenter"].operations
    assert log.intent(ops["GetOrders"], {"Action": "GetOrders"}, []) is None
    entry = log.intent(ops["SetStatusToCanceled"], {"Action": "SetStatusToCanceled"}, ["7"])
    log.outcome(entry, OutcomeUnknownError("Cancelled", "cancelled while sending"))
    log.interrupted(entry, asyncio.CancelledError())
    assert [o["status"] for o in journal.outcomes] == ["unknown", "unknown"]
    assert journal.outcomes[-1]["error_code"] == "Interrupted"
    assert len(journal.intents) == 1
