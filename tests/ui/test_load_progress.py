"""A list load's progress: the status words, and whether an auto-refresh can afford to run."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from mwstui.throttle.snapshot import BucketSnapshot
from mwstui.ui.load_progress import LoadProgress, bucket_calls
from mwstui.ui.reports.reports_panel import ReportsPanel
from tests.ui.harness import SIZE, Harness, make_app, until


def listing(tokens: float, capacity: int = 10) -> BucketSnapshot:
    return cast(BucketSnapshot, cast(Any, SimpleNamespace(tokens=tokens, capacity=capacity)))


def test_an_auto_refresh_waits_until_the_bucket_holds_a_full_reload() -> None:
    progress = LoadProgress()
    progress.begin(calls=4)
    progress.succeeded(calls=12)  # an 8-page SP-API list: 8 calls from one bucket
    assert progress.spent == 8
    assert not progress.affordable(listing(7.5))
    assert progress.affordable(listing(8.0))


def test_a_list_longer_than_a_burst_waits_only_for_a_full_bucket() -> None:
    progress = LoadProgress()
    progress.begin(calls=0)
    progress.succeeded(calls=15)
    assert not progress.affordable(listing(9.0, capacity=10))
    assert progress.affordable(listing(10.0, capacity=10))


def test_one_call_lists_and_unknown_buckets_never_hold_a_refresh_back() -> None:
    progress = LoadProgress()
    assert progress.affordable(None)
    progress.begin(calls=3)
    progress.succeeded(calls=4)  # MWS: the next pages spend their own bucket
    assert progress.affordable(listing(1.0))
    assert not progress.affordable(listing(0.4))
    progress.begin(calls=4)
    progress.succeeded()  # a view without a listing bucket keeps the last figure
    assert progress.spent == 1


def test_what_a_load_spent_is_read_from_its_listing_bucket_when_it_has_one() -> None:
    progress = LoadProgress()
    snap = cast(BucketSnapshot, cast(Any, SimpleNamespace(calls=5)))
    progress.begin(bucket_calls(snap))
    progress.succeeded(bucket_calls(cast(BucketSnapshot, cast(Any, SimpleNamespace(calls=7)))))
    assert progress.spent == 2
    progress.begin(bucket_calls(None))  # a view without a listing bucket: nothing measured
    progress.succeeded(bucket_calls(None))
    assert progress.calls_at_start == 0 and progress.spent == 2


def test_the_status_words_of_a_load() -> None:
    progress = LoadProgress()
    progress.begin()
    assert progress.parts(None) == ["loading…"]
    progress.add_page(100, pages_left=2)
    assert progress.parts(12.0)[0] == "loading: 100 rows from 1 pages"
    assert progress.parts(12.0)[1:] == ["2 pages left", "throttle wait 12 s"]


async def test_a_reports_load_on_spapi_counts_what_its_listing_spent(
    spapi_harness: Harness,
) -> None:
    h = spapi_harness
    assert h.session.spapi is not None
    calls: list[str] = []
    h.session.spapi.add_observer(lambda record: calls.append(record.operation))
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(ReportsPanel)
        await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
        assert panel.progress.spent == calls.count("getReports") >= 1
