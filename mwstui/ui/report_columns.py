"""How a report request is shown: its columns, status colours and the row of raw values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text

from mwstui.mws.models import ReportRequestInfo
from mwstui.ui import fmt
from mwstui.ui.resource_table import Column, TableRow
from mwstui.ui.safe_text import cell

STATUS_STYLE = {
    "_SUBMITTED_": "cyan",
    "_IN_PROGRESS_": "yellow",
    "_DONE_": "green",
    "_DONE_NO_DATA_": "dim green",
    "_CANCELLED_": "dim",
}


def _status(value: Any) -> Text:
    known = str(value) in STATUS_STYLE
    text = cell(value, STATUS_STYLE.get(str(value), "magenta"))
    if not known:
        text.append(" ?", style="magenta")
    return text


def _short(value: Any) -> Text:
    return cell(fmt.short_datetime(value) if isinstance(value, datetime) else value)


def _flag(value: Any) -> Text:
    return Text("yes" if value else "", end="")


TYPE_WIDTH = 20
"""The type column's least width: it grows into the spare width up to its longest name,
after the ids have theirs (a cut name ends in an ellipsis; CSV, search and copy keep it)."""

COLUMNS = [
    Column("request_id", "Request id"),
    Column("status", "Status", _status),
    Column("report_type", "Type", width=TYPE_WIDTH, grow=True),
    Column("submitted", "Submitted", _short),
    Column("started", "Started", _short),
    Column("completed", "Completed", _short),
    Column("scheduled", "Sched", _flag, export=lambda v: "yes" if v else "no"),
    Column("report_id", "Report id"),
]


def request_row(info: ReportRequestInfo) -> TableRow:
    """One table row of a report request (raw values; the columns render them)."""
    return TableRow(
        info.report_request_id,
        (
            info.report_request_id,
            info.report_processing_status,
            info.report_type,
            info.submitted_date,
            info.started_processing_date,
            info.completed_date,
            info.scheduled,
            info.generated_report_id,
        ),
    )
