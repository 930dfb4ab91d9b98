"""Report requests: a guarded cancel, which can still be cancelled, and where a finished
one's report is when the listing did not say."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from mwstui import validation as v
from mwstui.calls import ResponseMeta, Result
from mwstui.catalog import load_catalog
from mwstui.errors import InvalidStateError
from mwstui.mws.models import CancelResult, ReportRequestInfo
from mwstui.mws.parsing import encode_list, id_list

if TYPE_CHECKING:
    from mwstui.mws.client import MWSClient
    from mwstui.mws.reports import ReportsAPI

NOT_CANCELLABLE = "NotCancellable"
"""``ApiError.code`` of a cancel the client refused before sending (already started)."""


async def not_cancellable(
    api: ReportsAPI, ids: list[str], size: int
) -> tuple[dict[str, str], ResponseMeta]:
    """Read ``ids`` now (GetReportRequestList by id, ``size`` per call).

    Returns:
        The requests that cannot be cancelled (id → why: ``_IN_PROGRESS_: only
        _SUBMITTED_ requests can be cancelled``), and the last read's metadata.
    """
    seen: dict[str, ReportRequestInfo] = {}
    meta: ResponseMeta | None = None
    for i in range(0, len(ids), size):
        async for page in api.iter_report_requests(request_ids=ids[i : i + size]):
            seen |= {info.report_request_id: info for info in page.data}
            meta = page.meta
    assert meta is not None
    refused: dict[str, str] = {}
    for rid in ids:
        info = seen.get(rid)
        # An id the read did not list is left to the service, whose answer names it
        # (InvalidReportRequestId).
        if info is not None and not info.report_processing_status.cancellable:
            refused[rid] = cancel_refusal(info.report_processing_status)
    return refused, meta


def cancel_refusal(status: str) -> str:
    """``_IN_PROGRESS_: only _SUBMITTED_ requests can be cancelled``."""
    allowed = " or ".join(load_catalog().enum("report_processing_status_cancellable"))
    return f"{status}: only {allowed} requests can be cancelled"


async def report_id_for(api: ReportsAPI, info: ReportRequestInfo) -> str | None:
    """The ReportId of a finished request, even when its listing omits GeneratedReportId.

    The documents allow a ``_DONE_`` request without a GeneratedReportId; the way to its
    report is GetReportList filtered by its ReportRequestId (which overrides every other
    filter, spec §3.2). One call, only when the listing did not say.

    Returns:
        The report id, or None when no report is listed for the request (none generated,
        or older than the 90 days reports are kept).
    """
    if info.generated_report_id:
        return info.generated_report_id
    rid = info.report_request_id
    async for page in api.iter_reports(request_ids=[rid]):
        for report in page.data:
            if report.report_request_id in (None, rid):
                return report.report_id
    return None


async def cancel_requests(
    api: ReportsAPI,
    client: MWSClient,
    requests: Sequence[str | ReportRequestInfo],
    *,
    recheck: bool = False,
) -> list[Result[CancelResult]]:
    """``ReportsAPI.cancel_report_requests`` (documented there)."""
    from mwstui.mws.reports import PARSERS  # the parsers live with the API (import cycle)

    parse = PARSERS["CancelReportRequests"]
    if isinstance(requests, str):  # one id passed bare would be split into digits
        raise TypeError("requests must be a list of ids or requests, not a string")
    ids = id_list(
        [r if isinstance(r, str) else r.report_request_id for r in requests], "ReportRequestId"
    )
    for rid in ids:
        v.check("ReportRequestId", v.report_request_id(rid))
    if not ids:
        raise v.LocalValidationError(
            "ReportRequestId",
            "CancelReportRequests needs at least one ReportRequestId "
            "(an empty list would cancel every request)",
        )
    refused = {
        r.report_request_id: cancel_refusal(r.report_processing_status)
        for r in requests
        if isinstance(r, ReportRequestInfo) and not r.report_processing_status.cancellable
    }
    if refused:
        first, why = next(iter(refused.items()))
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        raise InvalidStateError(
            NOT_CANCELLABLE,
            f"{first} is {why}{more}; nothing was sent",
            operation="CancelReportRequests",
        )
    size = int(load_catalog().mws_enums["limits"]["ReportRequestIdList"])
    not_sent, read_meta = await not_cancellable(api, ids, size) if recheck else ({}, None)
    send = [i for i in ids if i not in not_sent]
    results = []
    for i in range(0, len(send), size):
        chunk = send[i : i + size]
        params = encode_list("ReportRequestIdList.Id", chunk)
        results.append(await client.call("CancelReportRequests", params, parse, items=chunk))
    if not not_sent:
        return results
    if not results:
        assert read_meta is not None
        return [Result(CancelResult(0, [], not_sent), read_meta)]
    first_result = results[0]
    results[0] = Result(replace(first_result.data, not_sent=not_sent), first_result.meta)
    return results
