"""Where the SellerCenter client reports: a CallRecord per attempt, journal entries per mutation."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from mwstui.calls import CallObserver, CallRecord, MutationRecorder, ResponseMeta, mask_params
from mwstui.catalog import Operation
from mwstui.errors import ApiError, OutcomeUnknownError
from mwstui.secret import mask_secrets

log = logging.getLogger(__name__)
SERVICE = "sellercenter"


class CallLog:
    """Tells observers about every attempt and the journal about every mutation.

    Args:
        host: the endpoint host shown in records.
        user_id: whose budget the calls spend (``CallRecord.account``).
        journal: where mutations are recorded, if anywhere.
        profile: the profile name written to the journal.
    """

    def __init__(
        self, host: str, user_id: str, journal: MutationRecorder | None, profile: str
    ) -> None:
        self.host = host
        self.user_id = user_id
        self._journal = journal
        self._profile = profile
        self._observers: list[CallObserver] = []

    def add_observer(self, fn: CallObserver) -> None:
        self._observers.append(fn)

    def attempt(
        self, op: Operation, record: Mapping[str, Any], *, duration: float, error: ApiError | None
    ) -> None:
        """Send one CallRecord (params masked) to every observer.

        ``record`` holds ``started_at``, ``attempt``, ``waited`` and, when known, ``params``
        (as sent), ``http_status``, ``response_text`` and ``request_id``.
        """
        rec = CallRecord(
            started_at=record["started_at"],
            service=SERVICE,
            account=self.user_id,
            operation=op.name,
            method=op.method,
            host=self.host,
            params=mask_params(record.get("params", {})),
            http_status=record.get("http_status"),
            error_code=error.code if error else None,
            error_message=error.message if error else None,
            request_id=(error.request_id if error else record.get("request_id")),
            duration=duration,
            waited=record["waited"],
            attempt=record["attempt"],
            # A secret the server echoed back is masked here, before any observer sees it.
            response_text=mask_secrets(record.get("response_text", "")),
            mutating=op.mutating,
        )
        for fn in list(self._observers):
            try:
                fn(rec)
            except Exception:
                # An observer (UI panel, log) must never break the call it watches.
                log.exception("call observer failed")

    def intent(self, op: Operation, params: Mapping[str, str], items: Sequence[str]) -> int | None:
        """Journal a mutation before it is sent; the entry id (None for reads / no journal)."""
        if not op.mutating or self._journal is None:
            return None
        return self._journal.record_intent(
            profile=self._profile,
            service=SERVICE,
            account=self.user_id,
            operation=op.name,
            params=mask_params({"Action": op.name, **params}),
            items=list(items),
        )

    def outcome(
        self, entry: int | None, err: ApiError | None, meta: ResponseMeta | None = None
    ) -> None:
        """Complete a journal entry: ``ok``, ``error``, or ``unknown`` (OutcomeUnknownError)."""
        if entry is None or self._journal is None:
            return
        if err is None:
            self._journal.record_outcome(
                entry,
                status="ok",
                request_id=meta.request_id if meta else None,
                http_status=meta.http_status if meta else None,
            )
            return
        self._journal.record_outcome(
            entry,
            status="unknown" if isinstance(err, OutcomeUnknownError) else "error",
            request_id=err.request_id,
            http_status=err.http_status,
            error_code=err.code,
            error_message=err.message,
        )
