"""How a report job is shown: its columns, status colours (by tone) and the row of raw values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text

from mwstui.backend.models import ReportJob, Status
from mwstui.ui.text import fmt
from mwstui.ui.text.safe_text import cell
from mwstui.ui.text.status_text import status_cell
from mwstui.ui.widgets.resource_table import Column, TableRow


@dataclass(frozen=True, slots=True)
class StatusCell:
    """A job's status and what it may mean; sorted, filtered and exported as the value."""

    status: Status
    note: str = ""

    def __str__(self) -> str:
        return self.status.value


def _status(value: Any) -> Text:
    if not isinstance(value, StatusCell):
        return cell(value)
    text = status_cell(value.status)
    if value.note:
        text.append(f" ({value.note})", style="dim")
    return text


def _short(value: Any) -> Text:
    return cell(fmt.short_datetime(value) if isinstance(value, datetime) else value)


def _flag(value: Any) -> Text:
    return Text("yes" if value else "", end="")


TYPE_WIDTH = 20
"""The type column's least width: it grows into the spare width up to its longest name,
after the ids have theirs (a cut name ends in an ellipsis; CSV, search and copy keep it)."""


def job_columns(separate_documents: bool = True) -> list[Column]:
    """The columns of the jobs list, named as the service names them.

    Args:
        separate_documents: the service lists finished reports apart (MWS): a job is a
            report *request* and its result a *report*; otherwise (SP-API) a job is a
            report and its result a *document*.
    """
    job, result = ("request", "report") if separate_documents else ("report", "document")
    return [
        Column(f"{job}_id", f"{job.capitalize()} id"),
        Column("status", "Status", _status),
        Column("report_type", "Type", width=TYPE_WIDTH, grow=True),
        Column("submitted", "Submitted", _short),
        Column("started", "Started", _short),
        Column("completed", "Completed", _short),
        Column("scheduled", "Sched", _flag, export=lambda v: "yes" if v else "no"),
        Column(f"{result}_id", f"{result.capitalize()} id"),
    ]


COLUMNS = job_columns()
"""The MWS columns (report requests and their reports)."""


def job_row(job: ReportJob) -> TableRow:
    """One table row of a report job (raw values; the columns render them)."""
    return TableRow(
        job.id,
        (
            job.id,
            StatusCell(job.status, job.note),
            job.report_type,
            job.requested_at,
            job.started_at,
            job.completed_at,
            job.scheduled,
            job.document_id,
        ),
    )
