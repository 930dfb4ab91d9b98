"""A bulk run: one call per item, progress and outcome per item, stoppable between calls."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, ProgressBar, Static
from textual.widgets.data_table import RowKey

from mwstui.backend.actions import result_of_error
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.errors import MwstuiError
from mwstui.journal.intents import collect_intents
from mwstui.journal.store import Journal
from mwstui.session import AccountInfo
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.governor import Governor
from mwstui.ui.activity.run_record import RunRecorder
from mwstui.ui.dialogs.bulk_report import BulkReport
from mwstui.ui.text import fmt
from mwstui.ui.text.safe_text import literal

QUIT_GRACE = 10.0
"""Seconds the call in flight gets to answer once the user quits anyway; then it is cut
off and recorded unknown (settled by a read at the next start)."""

_STYLE = {"success": "green", "warning": "bold yellow", "error": "bold red", "muted": "dim"}


ItemRunner = Callable[[str], Awaitable[str | ItemResult]]
"""Acts on one item. Returns a detail (outcome done) or an ItemResult; raises on failure."""


class _OutcomeTable(DataTable[Text]):
    """A DataTable whose rows are redrawn when a column widens under them."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        # A row painted before its column widened stays in DataTable's row cache at the
        # old width (the cache key ignores widths): "done · now CANCELLED" showed as
        # "done · n" for good. Forget the painted rows.
        self._clear_caches()
        self.refresh()


class BulkRunModal(ModalScreen[BulkReport]):
    """Runs ``run`` on each item in turn, showing progress, throttle waits and outcomes.

    Stop lets the call in flight finish (cutting it off would leave its outcome unknown)
    and sends nothing more. Every call the client sends is journaled by the client; the
    run adds each item's outcome to its call's entry, and the items it never sent.
    ``interrupt`` is the quit path: stop, give the call in flight ``QUIT_GRACE`` seconds
    (none when it is still waiting for a token, so not sent), then cut it off.

    Args:
        title: what is being done (``Cancelling 3 fulfillment orders``).
        items: the item ids, in order.
        run: the per-item coroutine.
        governor: with ``bucket_key``, shown while a call waits for a token.
        bucket_key: the bucket the run spends.
        journal: where the items' outcomes go (default: the app session's journal).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop_or_close", "Stop / close"),
    ]

    DEFAULT_CSS = """
    BulkRunModal { align: center middle; }
    BulkRunModal > #bulk-dialog {
        width: 90%; max-width: 110; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    BulkRunModal #bulk-title { text-style: bold; }
    BulkRunModal #bulk-table { height: auto; max-height: 12; }
    BulkRunModal #bulk-progress { margin-top: 1; }
    BulkRunModal #bulk-buttons { height: auto; align-horizontal: right; }
    BulkRunModal #bulk-buttons Button { margin-left: 2; }
    """

    def __init__(
        self,
        title: str,
        items: Sequence[str],
        run: ItemRunner,
        *,
        governor: Governor | None = None,
        bucket_key: BucketKey | None = None,
        journal: Journal | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        # Item ids key the table rows: a duplicate would be acted on twice anyway.
        self.items = list(dict.fromkeys(items))
        self._run_item = run
        self._governor = governor
        self._bucket_key = bucket_key
        self.report = BulkReport()
        self.stop_requested = False
        self.interrupted = False
        """The user quit during the run: what was not sent says so."""
        self.finished = False
        self._current: str | None = None
        self._journal = journal
        self._recorder = RunRecorder(None)
        self._inflight: asyncio.Future[str | ItemResult] | None = None
        self._inflight_intents: list[int] = []
        self._then: Callable[[BulkReport], None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-dialog"):
            yield Static(literal(self.title_text), id="bulk-title")
            yield _OutcomeTable(id="bulk-table", cursor_type="row", zebra_stripes=True)
            yield ProgressBar(total=len(self.items), show_eta=False, id="bulk-progress")
            yield Static(Text("Starting…"), id="bulk-status")
            with Horizontal(id="bulk-buttons"):
                yield Button("Stop", id="bulk-stop", variant="warning")
                yield Button("Close", id="bulk-close", variant="primary", disabled=True)

    def on_mount(self) -> None:
        table = self.query_one("#bulk-table", DataTable)
        table.add_column(Text("Item"), key="item")
        table.add_column(Text("Outcome"), key="outcome")
        for item in self.items:
            table.add_row(literal(item), Text("queued", style="dim"), key=item)
        self.query_one("#bulk-stop", Button).focus()
        session = getattr(self.app, "session", None)
        if self._journal is None:
            self._journal = getattr(session, "journal", None)
        accounts = [
            a
            for a in (
                getattr(session, "mws_account", None),
                getattr(session, "sellercenter_account", None),
            )
            if isinstance(a, AccountInfo)
        ]
        self._recorder = RunRecorder(self._journal, accounts)
        self.set_interval(0.25, self._show_wait)
        self._run_all()

    @property
    def pending(self) -> int:
        """Items without an outcome yet (the one in flight included)."""
        return len(self.items) - len(self.report.results)

    # -- the run ------------------------------------------------------------------------------

    # Not exclusive: nothing may cancel a run half-way (docs/UI.md, worker groups).
    @work(group="mutate")
    async def _run_all(self) -> None:
        not_sent: dict[str, ItemResult] = {}
        for index, item in enumerate(self.items):
            if self.stop_requested:
                why = "quit before sending" if self.interrupted else "stopped before sending"
                result = ItemResult(Outcome.NOT_SENT, why)
                not_sent[item] = result
                self._set(item, result)
                continue
            self._current = item
            self._set_outcome(item, Text("sending…", style="bold"))
            self._status(f"{index + 1}/{len(self.items)}: sending {item}")
            result = await self._run_one(item)
            self._current = None
            if result.outcome is Outcome.NOT_SENT and not self._recorder.covers(item):
                not_sent[item] = result
            else:
                self._recorder.record(item, result)
            self._set(item, result)
        if not_sent and self._recorder.entries:
            self._recorder.record_not_sent(not_sent)
        elif not_sent and self._bucket_key is not None:
            snap = self._governor.snapshot(self._bucket_key) if self._governor else None
            self._recorder.record_not_sent(
                not_sent,
                operation=snap.waiting_operation or "" if snap else "",
                endpoint=self._bucket_key.endpoint,
                seller=self._bucket_key.account,
            )
        self.report.stopped = self.stop_requested
        self._finish()

    async def _run_one(self, item: str) -> ItemResult:
        """Run one item in a task of its own, so a quit can cut it off and say what it was."""
        with collect_intents() as intents:
            # The task copies this context: the intents its calls write land in ``intents``.
            task = asyncio.ensure_future(self._run_item(item))
        self._inflight, self._inflight_intents = task, intents
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            self._inflight = None
            self._recorder.add_intents(intents)
        if task.cancelled():
            if self._recorder.covers(item):
                return ItemResult(
                    Outcome.UNKNOWN,
                    "sent; mwstui quit before the answer came (checked at the next start)",
                )
            return ItemResult(Outcome.NOT_SENT, "quit before sending (was waiting for a token)")
        exc = task.exception()
        if exc is None:
            got = task.result()
            return got if isinstance(got, ItemResult) else ItemResult(Outcome.DONE, got)
        # Whether a call carried the item: its intent is in the journal (no journal: unknown).
        sent = self._recorder.covers(item) if self._journal is not None else None
        if not isinstance(exc, MwstuiError | ValueError):
            # A bug: what it interrupted is unknown, and the next item would meet it too.
            self.action_stop()
        return result_of_error(exc, sent=sent)

    def _set(self, item: str, result: ItemResult) -> None:
        self.report.results[item] = result
        text = Text(result.outcome.label, style=_STYLE[result.outcome.tone])
        detail = result.detail
        if result.outcome is Outcome.FAILED:
            # A backend's refusal keeps its code and request id apart: the user quotes
            # both to support, so the line says them.
            if result.code and result.code not in detail:
                detail = f"{result.code}: {detail}" if detail else result.code
            if result.request_id and result.request_id not in detail:
                detail += f" (request id {result.request_id})"
        if detail:
            text.append(" · ")
            text.append_text(literal(detail))
        self._set_outcome(item, text)
        self.query_one("#bulk-progress", ProgressBar).advance(1)

    def _set_outcome(self, item: str, text: Text) -> None:
        table = self.query_one("#bulk-table", DataTable)
        table.update_cell(item, "outcome", text, update_width=True)
        table.move_cursor(row=table.get_row_index(item))

    def _status(self, message: str) -> None:
        self.query_one("#bulk-status", Static).update(literal(message))

    def _show_wait(self) -> None:
        """Say so while the call in flight is held back by the throttle governor."""
        if self._current is None or self._governor is None or self._bucket_key is None:
            return
        snap = self._governor.snapshot(self._bucket_key)
        if snap is None or not snap.waiting or snap.wait_remaining is None:
            return
        self._set_outcome(
            self._current,
            Text(f"waiting {fmt.duration(snap.wait_remaining)} for a token", style="yellow"),
        )
        self._status(
            f"waiting {fmt.duration(snap.wait_remaining)} for "
            f"{snap.waiting_operation or snap.key.bucket} (throttle)"
        )

    def _finish(self) -> None:
        self.finished = True
        status = self.report.summary()
        if self._recorder.errors:
            status += f" · journal not written: {self._recorder.errors[0]}"
        self._status(status)
        # A dimmed Stop after the end reads as "still stoppable"; it goes.
        stop = self.query_one("#bulk-stop", Button)
        stop.disabled = True
        stop.display = False
        close = self.query_one("#bulk-close", Button)
        close.disabled = False
        close.focus()
        if self._then is not None:
            self._then(self.report)

    # -- quitting -----------------------------------------------------------------------------

    def quit_question(self) -> str:
        """``3 cancellations in progress: quit anyway?`` for the app's quit confirmation."""
        n = self.pending
        noun = "item" if n == 1 else "items"
        return f"{self.title_text}: {n} {noun} not finished. Quit anyway?"

    def interrupt(self, then: Callable[[BulkReport], None]) -> None:
        """Quit requested: send nothing more, let the call in flight answer, then ``then``.

        A call still waiting for a token has sent nothing: it is cut off at once. One that
        was sent gets ``QUIT_GRACE`` seconds before it is cut off (and recorded unknown).
        """
        self._then = then
        self.interrupted = True
        self.action_stop()
        self._status("Quitting: nothing more is sent; waiting for the call in flight…")
        if self.finished:
            then(self.report)
        elif self._inflight is not None and not self._inflight_intents:
            self.cut_off()
        else:
            self.set_timer(QUIT_GRACE, self.cut_off)

    def cut_off(self) -> None:
        """Stop waiting for the call in flight (its outcome becomes unknown)."""
        if self._inflight is not None and not self._inflight.done():
            self._inflight.cancel()

    # -- buttons ------------------------------------------------------------------------------

    @on(Button.Pressed, "#bulk-stop")
    def action_stop(self) -> None:
        """Send nothing after the call in flight."""
        if self.finished or self.stop_requested:
            return
        self.stop_requested = True
        stop = self.query_one("#bulk-stop", Button)
        stop.label = "Stopping…"
        stop.disabled = True
        self._status("Stopping after the call in flight…")

    @on(Button.Pressed, "#bulk-close")
    def action_close(self) -> None:
        """Leave once the run has finished."""
        if self.finished:
            self.dismiss(self.report)

    def action_stop_or_close(self) -> None:
        """Escape: stop a running bulk, or close a finished one."""
        if self.finished:
            self.action_close()
        else:
            self.action_stop()
