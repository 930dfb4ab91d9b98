"""Pages of a listing as the panels get them: numbered across calls, each record once.

A service lists page by page with a next token (and SP-API's Reports in several
listings of 10 types each). A record that changes between two calls can come again on
a later page; it is shown once, where it came first. The adapters hand each page of
their client to one ``Pager``, which says what the panel gets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar

from mwstui.backend.protocols import Page


class Keyed(Protocol):
    """A record with a key (``ReportJob``, ``FulfillmentOrder`` ...)."""

    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=Keyed)


class Pager(Generic[R]):
    """Numbers the pages of one listing and drops records an earlier page gave."""

    def __init__(self) -> None:
        self.number = 0
        self._seen: set[str] = set()

    def page(self, rows: Iterable[R], *, more: bool, request_id: str | None = None) -> Page[R]:
        """The next page: the new rows of ``rows``, its number, whether more follow."""
        self.number += 1
        fresh: list[R] = []
        for row in rows:
            if row.id not in self._seen:
                self._seen.add(row.id)
                fresh.append(row)
        return Page(tuple(fresh), number=self.number, more=more, request_id=request_id or "")
