"""Where a client reports: a CallRecord per attempt, journal intent and outcome per mutation.

The same for every service, so the Activity panel, the inspector and the journal see every
client's calls alike, and a secret a server echoes back is masked in one place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from mwstui.calls import CallObserver, CallRecord, MutationRecorder, ResponseMeta, mask_params
from mwstui.errors import ApiError, OutcomeUnknownError
from mwstui.secret import mask_secrets

log = logging.getLogger(__name__)

JOURNAL_MESSAGE_LIMIT = 500
"""Characters of an error message the journal keeps (server text, one line)."""


class LoggedOperation(Protocol):
    """What the log needs of a catalog operation (MWS, SellerCenter or SP-API)."""

    @property
    def name(self) -> str: ...

    @property
    def method(self) -> str: ...

    @property
    def mutating(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class UnlistedOperation:
    """A call the catalog does not list (SP-API's LWA token exchange), logged the same way."""

    name: str
    method: str
    mutating: bool = False


class CallLog:
    """Tells observers about every attempt and the journal about every mutation.

    Args:
        service: ``mws``, ``sellercenter`` or ``spapi`` (``CallRecord.service`` and journal).
        host: the endpoint host shown in records.
        account: whose budget the calls spend (``CallRecord.account``, journal account).
        journal: where mutations are recorded, if anywhere.
        profile: the profile name written to the journal.
    """

    def __init__(
        self,
        service: str,
        host: str,
        account: str,
        journal: MutationRecorder | None,
        profile: str,
    ) -> None:
        self.service = service
        self.host = host
        self.account = account
        self.journal = journal
        self._profile = profile
        self._observers: list[CallObserver] = []

    def add_observer(self, fn: CallObserver) -> None:
        """Call ``fn`` with a ``CallRecord`` after every attempt of every call."""
        self._observers.append(fn)

    def attempt(
        self,
        op: LoggedOperation,
        record: Mapping[str, Any],
        *,
        duration: float,
        error: ApiError | None = None,
    ) -> None:
        """Send one CallRecord (params and echoed secrets masked) to every observer.

        ``record`` holds ``started_at``, ``attempt``, ``waited`` and, when known, ``params``
        (as sent), ``http_status``, ``response_text``, ``request_id`` and, for a failure
        on our side, ``error_code`` and ``error_message``; ``error`` supplies those last.
        """
        code = error.code if error else record.get("error_code")
        message = error.message if error else record.get("error_message")
        rec = CallRecord(
            started_at=record["started_at"],
            service=self.service,
            account=self.account,
            operation=op.name,
            method=op.method,
            host=self.host,
            params=mask_params(record.get("params", {})),
            http_status=record.get("http_status"),
            error_code=code,
            # A secret the server echoed back is masked here, before any observer sees it.
            error_message=None if message is None else mask_secrets(message),
            request_id=record.get("request_id") or (error.request_id if error else None),
            duration=duration,
            waited=record["waited"],
            attempt=record["attempt"],
            response_text=mask_secrets(record.get("response_text", "")),
            mutating=op.mutating,
        )
        for fn in list(self._observers):
            try:
                fn(rec)
            except Exception:
                # An observer (UI panel, log) must never break the call it watches.
                log.exception("call observer failed")

    def intent(
        self, op: LoggedOperation, params: Mapping[str, str], items: Sequence[str]
    ) -> int | None:
        """Journal a mutation before it is sent; the entry id (None for reads / no journal).

        Raises:
            MwstuiError: the journal cannot be written (the call must not be sent).
        """
        if not op.mutating or self.journal is None:
            return None
        return self.journal.record_intent(
            profile=self._profile,
            service=self.service,
            account=self.account,
            operation=op.name,
            params=mask_params(params),
            items=list(items),
        )

    def outcome(
        self,
        entry: int | None,
        err: ApiError | None,
        meta: ResponseMeta | None = None,
        *,
        status: str | None = None,
    ) -> None:
        """Complete a journal entry: ``ok``, ``error``, or ``unknown`` (OutcomeUnknownError).

        Args:
            entry: the intent's id (nothing happens for None).
            err: the failure, or None for success.
            meta: the answer's metadata on success (request id, HTTP status).
            status: the status to record instead of the one ``err`` implies (a client
                that knows better, e.g. an unreadable 2xx that most likely took effect).
        """
        if entry is None or self.journal is None:
            return
        if err is None:
            self.journal.record_outcome(
                entry,
                status=status or "ok",
                request_id=meta.request_id if meta else None,
                http_status=meta.http_status if meta else None,
            )
            return
        implied = "unknown" if isinstance(err, OutcomeUnknownError) else "error"
        self.journal.record_outcome(
            entry,
            status=status or implied,
            request_id=err.request_id,
            http_status=err.http_status,
            error_code=err.code,
            error_message=" ".join(err.message.split())[:JOURNAL_MESSAGE_LIMIT],
        )

    def interrupted(self, entry: int | None, exc: BaseException) -> None:
        """Complete a journal entry whose call ended on our side mid-flight: ``unknown``.

        An ``ApiError`` masks echoed secrets when it is made; a local failure's text is
        masked here (it may quote what was being sent).
        """
        if entry is None or self.journal is None:
            return
        code, message = local_failure(exc)
        self.journal.record_outcome(
            entry, status="unknown", error_code=code, error_message=mask_secrets(message)
        )


def local_failure(exc: BaseException) -> tuple[str, str]:
    """Code and message for a call that ended on our side: records never name Python types."""
    if isinstance(exc, asyncio.CancelledError):
        return "Interrupted", "mwstui stopped waiting for the answer (quit or screen closed)"
    return "LocalError", " ".join(str(exc).split())[:200] or "failed on this machine"
