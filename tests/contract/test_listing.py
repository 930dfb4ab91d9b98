"""Listings come page by page: rows can be shown after the first page, not after the last."""

from __future__ import annotations

from mwstui.calls import CallRecord
from mwstui.spapi.lwa import TOKEN_OPERATION
from tests.contract.cases import Case
from tests.contract.rig import Rig


async def test_pages_are_numbered_unique_and_say_whether_more_follow(case: Case, rig: Rig) -> None:
    pages = [page async for page in case.listing(rig)]

    assert len(pages) >= case.min_pages
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert [p.more for p in pages] == [True] * (len(pages) - 1) + [False]
    ids = [r.id for p in pages for r in p.rows]
    assert len(ids) == len(set(ids)), "a record came twice"
    assert all(isinstance(r, case.record) for p in pages for r in p.rows)
    if case.request_ids:
        assert all(p.request_id for p in pages), "every page names the call that returned it"


async def test_the_first_page_arrives_before_the_next_is_asked_for(case: Case, rig: Rig) -> None:
    calls: list[CallRecord] = []
    rig.observe(calls.append)
    pages = case.listing(rig)

    first = await anext(pages)

    assert first.rows
    # A login (SP-API's token exchange) before the first call is not a page asked for.
    paging = [c for c in calls if c.operation != TOKEN_OPERATION]
    assert len(paging) == 1, [c.operation for c in calls]
    await pages.aclose()  # type: ignore[attr-defined]


async def test_statuses_carry_meaning_not_literals(case: Case, rig: Rig) -> None:
    rows = await case.rows(rig)
    statuses = [r.status for r in rows.values() if hasattr(r, "status")]
    if not statuses:  # schedules have no status
        return
    assert any(s.cancellable for s in statuses) and any(not s.cancellable for s in statuses)
    assert all(s.known for s in statuses), "the demo data uses catalog values only"
    assert not any(s.cancellable and s.terminal for s in statuses)
