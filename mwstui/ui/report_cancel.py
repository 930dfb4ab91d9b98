"""Cancelling report requests: what can be cancelled, and a batched per-item runner."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError
from mwstui.mws.client import MWSClient
from mwstui.mws.models import CancelResult, ReportRequestInfo

CANCELLED = "_CANCELLED_"


def chunk_size() -> int:
    """Request ids one CancelReportRequests call takes (catalog limit: 100)."""
    return int(load_catalog().mws_enums["limits"]["ReportRequestIdList"])


def cancel_calls(count: int) -> int:
    """Calls needed to cancel ``count`` requests."""
    return math.ceil(count / chunk_size()) if count else 0


def cancel_plan(infos: Sequence[ReportRequestInfo]) -> tuple[list[str], list[tuple[str, str]]]:
    """Split the selection into what can be cancelled and what is skipped, with why.

    Only a request that has not started (``_SUBMITTED_``) can be cancelled.

    Returns:
        ``(ids to cancel, [(id, reason), ...])``.
    """
    ids: list[str] = []
    skipped: list[tuple[str, str]] = []
    for info in infos:
        status = info.report_processing_status
        if status.cancellable:
            ids.append(info.report_request_id)
        elif not status.known:
            skipped.append((info.report_request_id, f"unknown status {status}: not cancelled"))
        else:
            skipped.append((info.report_request_id, f"status {status}: already started or ended"))
    return ids, skipped


@dataclass
class BatchedCancel:
    """A BulkRunModal runner that cancels report requests 100 at a time.

    The modal calls ``run`` once per request id; the first id of each chunk sends the
    whole chunk (one CancelReportRequests call) and the others read that call's answer.
    Those reads never suspend, so a Stop pressed during a chunk takes effect before the
    next chunk and no id of a sent chunk is ever reported as "not sent" — except one the
    client's read just before the call found already started: that one is not sent.

    Args:
        client: the MWS client.
        ids: the request ids, in order.
    """

    client: MWSClient
    ids: list[str]
    _chunk_of: dict[str, int] = field(default_factory=dict)
    _answers: dict[int, CancelResult | BaseException] = field(default_factory=dict)

    def __post_init__(self) -> None:
        size = chunk_size()
        self._chunk_of = {rid: i // size for i, rid in enumerate(self.ids)}

    def _chunk(self, index: int) -> list[str]:
        return [rid for rid in self.ids if self._chunk_of[rid] == index]

    async def run(self, request_id: str) -> ItemResult:
        """Cancel ``request_id`` (sending its chunk if not sent yet); raises on failure."""
        index = self._chunk_of[request_id]
        if index not in self._answers:
            try:
                # Read first: a request that started since the list was loaded is not sent.
                results = await self.client.reports.cancel_report_requests(
                    self._chunk(index), recheck=True
                )
                self._answers[index] = results[0].data
            except (MwstuiError, ValueError) as exc:
                self._answers[index] = exc
        answer = self._answers[index]
        if isinstance(answer, BaseException):
            raise answer
        if request_id in answer.not_sent:
            return ItemResult(Outcome.NOT_SENT, f"now {answer.not_sent[request_id]}")
        info = next((i for i in answer.infos if i.report_request_id == request_id), None)
        if info is None:
            return ItemResult(
                Outcome.UNKNOWN, f"not listed in the answer (count {answer.count}); refresh"
            )
        status = str(info.report_processing_status)
        if status == CANCELLED:
            return ItemResult(Outcome.DONE, CANCELLED)
        return ItemResult(Outcome.FAILED, f"still {status}: it started before the cancel arrived")
