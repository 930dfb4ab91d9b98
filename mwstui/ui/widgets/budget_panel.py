"""The live throttle budget: a row per bucket the current panel can spend, ticking each second."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Self

from rich.text import Text
from textual.app import ComposeResult
from textual.coordinate import Coordinate
from textual.message import Message
from textual.render import measure
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey, RowKey

from mwstui.catalog import load_catalog
from mwstui.session import Session
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.snapshot import BucketSnapshot
from mwstui.ui.text import fmt
from mwstui.ui.text.safe_text import clean
from mwstui.ui.widgets.buckets import bucket_for

BAR_WIDTH = 6
FIGURES_WIDTH = 56
"""Columns the figures take (with padding); the operation names get the rest."""
MIN_LABEL_WIDTH = 16

COLUMNS = (
    ("op", "Operation"),
    ("tokens", "Tokens"),
    ("next", "Next"),
    ("full", "Full"),
    ("hourly", "Hourly"),
    ("resets", "Resets"),
    ("source", "Source"),
)


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """What one line of the budget panel shows for one bucket."""

    key: BucketKey
    label: str
    snapshot: BucketSnapshot

    @property
    def row_key(self) -> str:
        return f"{self.key.endpoint}|{self.key.account}|{self.key.bucket}"


def bucket_label(bucket: str, operations: Sequence[str]) -> str:
    """How a bucket is named: its operation, ``X +next`` for a shared NextToken bucket."""
    ops = list(dict.fromkeys(operations))
    if len(ops) == 1:
        return ops[0]
    base = min(ops, key=len)
    if len(ops) == 2 and max(ops, key=len) == f"{base}ByNextToken":
        return f"{base} +next"
    return f"{bucket} ({len(ops)} operations)" if ops else bucket


def _mutating(operation: str) -> bool:
    """Whether ``operation`` (MWS, SellerCenter or SP-API) changes state."""
    catalog = load_catalog()
    sp = catalog.spapi.operations.get(operation)
    return sp.mutating if sp is not None else catalog.operation(operation).mutating


def budget_rows(session: Session, operations: Sequence[str]) -> list[BudgetRow]:
    """The buckets ``operations`` spend, in order, then any other bucket with a caller waiting.

    With no ``operations``, every bucket that has been spent from this session.

    Args:
        session: whose clients and governor.
        operations: catalog operation names (the active panel's ``operations``).
    """
    grouped: dict[BucketKey, list[str]] = {}
    throttles = {}
    for name in operations:
        if session.read_only and _mutating(name):
            continue  # a read-only session cannot spend these; showing them would mislead
        found = bucket_for(session, name)
        if found is None:
            continue
        key, throttle = found
        grouped.setdefault(key, []).append(name)
        throttles[key] = throttle
    rows: list[BudgetRow] = []
    for key, names in grouped.items():
        snap = session.governor.snapshot(key, throttles[key])
        if snap is None:
            continue
        label = bucket_label(key.bucket, names)
        if any(f"{r.label}ByNextToken" == label for r in rows):
            # Right under its list operation, the NextToken bucket needs no repeated prefix.
            label = " ↳ByNextToken"
        rows.append(BudgetRow(key, label, snap))
    for snap in session.governor.snapshots():
        # Someone waiting always shows; a panel that calls nothing itself (Activity)
        # shows every bucket this session has spent from.
        wanted = snap.waiting or (not operations and snap.calls)
        if wanted and snap.key not in grouped:
            label = bucket_label(snap.key.bucket, snap.operations or (snap.key.bucket,))
            rows.append(BudgetRow(snap.key, label, snap))
    return rows


def row_cells(row: BudgetRow) -> tuple[Text, ...]:
    """The cells of one budget line (all text is ours or cleaned)."""
    s = row.snapshot
    ratio = s.tokens / s.capacity if s.capacity else 0.0
    level = "green" if ratio > 0.5 else "yellow" if s.tokens >= 1 else "red"
    tokens = Text.assemble(
        (fmt.token_bar(s.tokens, s.capacity, BAR_WIDTH), level),
        " ",
        # Padded to its widest form so the column does not twitch as tokens come back.
        fmt.tokens_figure(s.tokens, s.capacity).ljust(len(f"{s.capacity - 1}.9/{s.capacity}")),
    )
    if s.blocked_until is not None:
        nxt = Text(f"blocked to {fmt.clock_time(s.blocked_until)}", style="bold red")
    elif s.waiting:
        nxt = Text(f"wait {fmt.duration(s.wait_remaining)}", style="bold yellow")
    elif s.seconds_to_next <= 0:
        nxt = Text("now", style="dim")
    else:
        nxt = Text(fmt.duration(s.seconds_to_next))
    full = (
        Text("full", style="dim")
        if s.seconds_to_full <= 0
        else Text(fmt.duration(s.seconds_to_full))
    )
    if s.hourly_max is None:
        hourly, resets = Text("—", style="dim"), Text("—", style="dim")
    else:
        left = s.hourly_remaining if s.hourly_remaining is not None else s.hourly_max
        hourly = Text(f"{left}/{s.hourly_max}", style="red" if left == 0 else "")
        resets = Text(
            fmt.clock_time(s.hourly_resets_at) or "—", style="" if s.hourly_resets_at else "dim"
        )
    source = Text("server", style="bold") if s.measured else Text("model", style="dim")
    label = Text(clean(row.label), no_wrap=True, overflow="ellipsis")
    return (label, tokens, nxt, full, hourly, resets, source)


def waiting_text(rows: Sequence[BudgetRow]) -> str:
    """``waiting 38 s for GetReportRequestList`` for every bucket someone waits on."""
    parts = []
    for row in rows:
        s = row.snapshot
        if s.waiting:
            who = clean(s.waiting_operation or row.label)
            more = f" (+{s.waiting - 1} queued)" if s.waiting > 1 else ""
            parts.append(f"waiting {fmt.spoken(s.wait_remaining)} for {who}{more}")
    return "; ".join(parts)


class _BudgetTable(DataTable[Text]):
    """A DataTable whose figures change cell by cell, repainting only those cells."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._widths: dict[tuple[RowKey, ColumnKey], int] = {}
        """Measured width of each cell (a call that ends measures one, not the column)."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Rows painted before their widths were measured are cached with the old widths
        # (see ResourceTable). Only reached when rows come or a column resizes.
        super()._update_dimensions(new_rows)
        self._clear_caches()

    def clear(self, columns: bool = False) -> Self:
        self._widths.clear()
        return super().clear(columns)

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Text,
        *,
        update_width: bool = False,
    ) -> None:
        """Like ``DataTable.update_cell``, but repaints only that cell unless its column resizes.

        DataTable repaints the whole table on every update, and with ``update_width`` also
        lays it out again: a budget ticking every second would resend all of it.
        """
        row = RowKey(row_key) if isinstance(row_key, str) else row_key
        col = ColumnKey(column_key) if isinstance(column_key, str) else column_key
        if row not in self._row_locations or col not in self._column_locations:
            super().update_cell(row, col, value)  # raises CellDoesNotExist
            return
        column = self.columns[col]
        width = self._width(row, col, value)
        if (  # a fixed-width column never resizes
            update_width
            and column.auto_width
            and self._fitted_width(row, col, width) != column.content_width
        ):
            super().update_cell(row, col, value, update_width=True)
            self._widths[row, col] = width
            return
        self._data[row][col] = value
        self._widths[row, col] = width
        # Every render cache of DataTable is keyed on this count: the cell is drawn anew.
        self._update_count += 1
        self.refresh_coordinate(Coordinate(self.get_row_index(row), self.get_column_index(col)))

    def _width(self, row: RowKey, col: ColumnKey, value: Text | None = None) -> int:
        """The width of ``value`` (or of the cell as it is), measured once per value."""
        if value is None:
            known = self._widths.get((row, col))
            if known is not None:
                return known
            value = self._data[row][col]
            width = self._widths[row, col] = measure(self.app.console, value, 1)
            return width
        return measure(self.app.console, value, 1)

    def _fitted_width(self, row: RowKey, col: ColumnKey, width: int) -> int:
        """The width DataTable would give ``col`` with a cell ``width`` wide in ``row``."""
        widths = (width if key == row else self._width(key, col) for key in self._data)
        return max([measure(self.app.console, self.columns[col].label, 1), *widths])


class BudgetPanel(Widget):
    """Tokens, next/full times, hourly quota and reset, measured or modelled, per bucket.

    Reads the governor once a second and touches only the cells whose text changed,
    so nothing else on screen is redrawn by the tick.

    Args:
        session: whose governor and clients.
    """

    class CallsMade(Message):
        """Calls finished since the last tick (safe to post from any thread)."""

        def can_replace(self, message: Message) -> bool:
            # Calls that ended while the app was busy (a page of rows going in) are
            # waiting next to each other in its queue: one tick shows them all.
            return isinstance(message, BudgetPanel.CallsMade)

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.operations: list[str] = []
        self._order: list[str] = []
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._title = ""
        self._label_width = 0
        self._table: _BudgetTable | None = None
        self._title_line: Static | None = None

    def compose(self) -> ComposeResult:
        # Kept: every call that ends ticks the panel, and a query would walk it each time.
        self._title_line = Static(classes="budget-title")
        yield self._title_line
        self._table = _BudgetTable(show_cursor=False, zebra_stripes=False)
        self._table.can_focus = False
        yield self._table

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1.0, self.tick, name="budget-tick")

    def show_operations(self, operations: Sequence[str]) -> None:
        """Follow a new active panel."""
        self.operations = list(operations)
        self.tick()

    def tick(self) -> None:
        """Re-read the governor and update what changed."""
        if not self.is_mounted or not self.display:
            return
        table = self._table
        if table is None:
            return
        rows = budget_rows(self.session, self.operations)
        self._update_title(rows)
        wanted = [r.row_key for r in rows]
        width = self._fit_labels(rows)
        if width != self._label_width:
            # Operation names get what the figures leave (all of it in 80 columns).
            self._label_width = width
            table.clear(columns=True)
            for key, label in COLUMNS:
                table.add_column(Text(label), key=key, width=width if key == "op" else None)
            self._order = []
        if wanted != self._order:
            table.clear()
            self._cells.clear()
            for r in rows:
                cells = row_cells(r)
                table.add_row(*cells, key=r.row_key)
                self._cells[r.row_key] = cells
            self._order = wanted
            return
        for r in rows:
            cells = row_cells(r)
            old = self._cells[r.row_key]
            if cells == old:
                continue
            for (col, _), new, before in zip(COLUMNS, cells, old, strict=True):
                if new != before:
                    # A figure may grow ("now" → "wait 38s"): let its column follow.
                    table.update_cell(r.row_key, col, new, update_width=True)
            self._cells[r.row_key] = cells

    def _fit_labels(self, rows: Sequence[BudgetRow]) -> int:
        longest = max((len(r.label) for r in rows), default=MIN_LABEL_WIDTH)
        room = (self.size.width or self.app.size.width) - FIGURES_WIDTH
        return max(MIN_LABEL_WIDTH, min(longest, room))

    def on_resize(self) -> None:
        self.tick()

    def _update_title(self, rows: Sequence[BudgetRow]) -> None:
        waiting = waiting_text(rows)
        title = f"Throttle budget · {waiting}" if waiting else "Throttle budget"
        if title != self._title:
            self._title = title
            style = "bold yellow" if waiting else "bold"
            if self._title_line is not None:
                self._title_line.update(Text(title, style=style))
            self.set_class(bool(waiting), "-waiting")
