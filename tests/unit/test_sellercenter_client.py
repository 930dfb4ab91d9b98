"""SellerCenterClient send path against scripted answers: retries, journal, masking, shapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from mwstui.catalog import Throttle
from mwstui.clock import FakeClock
from mwstui.errors import (
    ConfigError,
    MalformedResponseError,
    OutcomeUnknownError,
    ReadOnlyError,
    ServiceError,
    ThrottledError,
    TransportError,
)
from mwstui.secret import Secret
from mwstui.sellercenter.client import MAX_READ_ATTEMPTS, SellerCenterClient
from mwstui.sellercenter.signing import sign
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.governor import Governor
from tests.sellercenter.helpers import MemoryJournal, Records

KEY = "0123456789abcdef-test-key"
Handler = Callable[[httpx.Request], httpx.Response]


def ok(body: Any = "", **head: str) -> httpx.Response:
    h = {"RequestId": "", "RequestAction": "", "ResponseType": "", **head}
    h.setdefault("Timestamp", "2026-01-01T00:00:00+0000")
    return httpx.Response(200, json={"SuccessResponse": {"Head": h, "Body": body}})


def err(code: str, message: str, status: int = 200) -> httpx.Response:
    head = {
        "RequestAction": "X",
        "ErrorType": "Sender",
        "ErrorCode": code.lstrip("E0"),
        "ErrorMessage": f"{code}: {message}",
    }
    return httpx.Response(status, json={"ErrorResponse": {"Head": head, "Body": ""}})


def order(oid: int) -> dict[str, str]:
    return {"OrderId": str(oid), "OrderNumber": f"N{oid}", "CreatedAt": "2025-12-31 00:00:00"}


class Script:
    """A transport answering from a list of handlers, one per request, remembering requests."""

    def __init__(self, *answers: Handler | httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)


def make(
    script: Callable[[httpx.Request], Any], clock: FakeClock | None = None, **kw: Any
) -> tuple[SellerCenterClient, Governor, MemoryJournal, Records]:
    clock = clock or FakeClock()
    governor = Governor(clock)
    journal = MemoryJournal()
    records = Records()
    client = SellerCenterClient(
        endpoint="https://sc.example.test",
        user_id="u@example.test",
        api_key=Secret(KEY),
        governor=governor,
        clock=clock,
        transport=httpx.MockTransport(script),
        journal=journal,
        profile="p1",
        **kw,
    )
    client.add_observer(records)
    return client, governor, journal, records


async def test_reads_are_get_mutations_are_post_with_query_params_and_no_body() -> None:
    script = Script(ok())
    client, *_ = make(script)
    await client.failure_reasons()
    await client.multiple_order_items([1, "2"])
    await client.cancel_item("9001", "Out of stock", "no detail")
    get, multi, cancel = script.requests
    assert get.method == "GET" and get.url.params["Action"] == "GetFailureReasons"
    assert multi.url.params["OrderIdList"] == "[1,2]"
    assert "OrderIdList=%5B1%2C2%5D" in multi.url.query.decode()
    assert cancel.method == "POST" and cancel.content == b""
    p = dict(cancel.url.params.multi_items())
    assert (p["OrderItemId"], p["Reason"], p["ReasonDetail"]) == (
        "9001",
        "Out of stock",
        "no detail",
    )
    assert p["Signature"] == sign(KEY, p) and p["Version"] == "1.0" and p["Format"] == "JSON"


async def test_e429_on_a_read_backs_off_and_retries() -> None:
    clock = FakeClock()
    script = Script(err("E429", "Too many requests"), err("E429", "Too many requests", 429), ok())
    client, governor, _, records = make(script, clock)
    start = clock.time()
    await client.failure_reasons()
    assert [r.attempt for r in records.calls] == [1, 2, 3]
    assert [r.error_code for r in records.calls] == ["E429", "E429", None]
    # Backoff 1 s then 2 s, plus waiting for the drained bucket to give a token.
    assert clock.time() - start >= 3.0
    snap = governor.snapshot(client.bucket_key(), client.throttle)
    assert snap is not None and snap.calls == 3


async def test_e429_gives_up_after_bounded_attempts() -> None:
    script = Script(err("E429", "Too many requests"))
    client, _, _, records = make(script)
    with pytest.raises(ThrottledError) as info:
        await client.failure_reasons()
    assert info.value.code == "E429"
    assert len(records.calls) == MAX_READ_ATTEMPTS


async def test_a_mutation_is_never_retried_on_e429_and_is_journaled() -> None:
    script = Script(err("E429", "Too many requests"))
    client, _, journal, _ = make(script)
    with pytest.raises(ThrottledError):
        await client.cancel_item(9001, "Out of stock")
    assert len(script.requests) == 1
    [entry] = journal.entries
    assert entry["status"] == "error" and entry["error_code"] == "E429"
    assert entry["items"] == ["9001"] and entry["profile"] == "p1"
    assert entry["params"] == {
        "Action": "SetStatusToCanceled",
        "OrderItemId": "9001",
        "Reason": "Out of stock",
    }


async def test_lost_answer_after_sending_a_mutation_is_outcome_unknown() -> None:
    script = Script(httpx.ReadTimeout("timed out"))
    client, _, journal, records = make(script)
    with pytest.raises(OutcomeUnknownError) as info:
        await client.cancel_item(9001, "Out of stock")
    assert info.value.code == "ConnectionLost" and "not retried" in (info.value.hint or "")
    assert len(script.requests) == 1
    assert journal.entries[0]["status"] == "unknown"
    assert records.calls[0].params["Signature"] == "••••••"


async def test_a_mutation_that_could_not_connect_is_an_error_not_unknown() -> None:
    script = Script(httpx.ConnectError("refused"))
    client, _, journal, _ = make(script)
    with pytest.raises(TransportError):
        await client.ready_to_ship([1, 2], "dropship", "DHL", "T1")
    assert journal.entries[0]["status"] == "error"
    assert journal.entries[0]["items"] == ["1", "2"]


async def test_reads_retry_network_and_server_failures() -> None:
    script = Script(
        httpx.ConnectError("refused"), httpx.Response(502, text="<html>bad gateway"), ok()
    )
    client, _, journal, records = make(script)
    await client.failure_reasons()
    assert [r.error_code for r in records.calls] == ["ConnectError", "HTTP502", None]
    assert journal.entries == []  # reads are not journaled


async def test_unreadable_success_status_is_malformed_and_not_retried() -> None:
    script = Script(httpx.Response(200, text="hello"))
    client, *_ = make(script)
    with pytest.raises(MalformedResponseError):
        await client.failure_reasons()
    assert len(script.requests) == 1


async def test_unreadable_answer_to_a_mutation_is_outcome_unknown() -> None:
    script = Script(httpx.Response(200, text="<html>"))
    client, _, journal, _ = make(script)
    with pytest.raises(OutcomeUnknownError):
        await client.cancel_item(1, "Out of stock")
    assert journal.entries[0]["status"] == "unknown"


async def test_error_bodies_are_read_whatever_the_http_status() -> None:
    script = Script(err("E006", "Unexpected internal error", 400))
    client, *_ = make(script)
    with pytest.raises(ServiceError) as info:
        await client.failure_reasons()
    assert info.value.code == "E006" and info.value.http_status == 400


async def test_read_only_refuses_mutations_before_anything_is_sent() -> None:
    script = Script(ok())
    client, _, journal, records = make(script, read_only=True)
    with pytest.raises(ReadOnlyError):
        await client.cancel_item(1, "Out of stock")
    with pytest.raises(ReadOnlyError):
        await client.ready_to_ship([1], "pickup")
    assert script.requests == [] and journal.entries == [] and records.calls == []
    await client.failure_reasons()  # reads still work
    assert len(script.requests) == 1


@pytest.mark.parametrize("reason", ["", "   "])
async def test_cancel_needs_a_reason(reason: str) -> None:
    script = Script(ok())
    client, *_ = make(script)
    with pytest.raises(ValueError, match="reason"):
        await client.cancel_item(1, reason)
    assert script.requests == []


async def test_argument_errors_are_raised_before_sending() -> None:
    script = Script(ok())
    client, *_ = make(script)
    with pytest.raises(ValueError, match="created_after"):
        client.iter_orders()
    with pytest.raises(ValueError, match="page_size"):
        client.iter_orders(created_after=FakeClock().now(), page_size=101)
    with pytest.raises(ValueError):
        await client.multiple_order_items([])
    with pytest.raises(ValueError):
        await client.multiple_order_items(["1,2"])
    with pytest.raises(ValueError):
        await client.get_order(" ")
    assert script.requests == []


async def test_paging_follows_total_count_and_skips_repeats() -> None:
    pages = {
        "0": ok({"Orders": {"Order": [order(5), order(4)]}}, TotalCount="5"),
        # The list shifted: order 4 shows up again on the second page.
        "2": ok({"Orders": {"Order": [order(4), order(3)]}}, TotalCount="5"),
        "4": ok({"Orders": {"Order": order(2)}}, TotalCount="5"),
    }
    script = Script(lambda r: pages[r.url.params["Offset"]])
    client, *_ = make(script)
    since = FakeClock().now() - timedelta(days=7)
    got = [page.data async for page in client.iter_orders(created_after=since, page_size=2)]
    assert [p.offset for p in got] == [0, 2, 4]
    assert [[o.order_id for o in p.orders] for p in got] == [["5", "4"], ["3"], ["2"]]
    assert {p.total_count for p in got} == {5}
    first = script.requests[0].url.params
    assert (first["Status"], first["SortBy"], first["SortDirection"], first["Limit"]) == (
        "pending",
        "created_at",
        "DESC",
        "2",
    )
    assert first["CreatedAfter"].endswith("+00:00")


async def test_paging_without_total_count_stops_on_a_short_page() -> None:
    pages = {
        "0": ok({"Orders": {"Order": [order(1), order(2)]}}),
        "2": ok({"Orders": ""}),
    }
    script = Script(lambda r: pages[r.url.params["Offset"]])
    client, *_ = make(script)
    since = FakeClock().now()
    got = [p.data async for p in client.iter_orders(updated_after=since, status=None, page_size=2)]
    assert [len(p.orders) for p in got] == [2, 0]
    assert "Status" not in script.requests[0].url.params


async def test_records_mask_the_signature_and_never_hold_the_key() -> None:
    script = Script(ok({"Reasons": ""}))
    client, _, _, records = make(script)
    await client.failure_reasons()
    [rec] = records.calls
    assert rec.params["Signature"] == "••••••"
    assert rec.params["UserID"] == "u@example.test"
    assert (rec.service, rec.account, rec.host, rec.method) == (
        "sellercenter",
        "u@example.test",
        "sc.example.test",
        "GET",
    )
    assert KEY not in repr(rec) and KEY not in repr(client)


async def test_a_failing_observer_does_not_break_the_call() -> None:
    script = Script(ok())
    client, *_ = make(script)

    def boom(_: object) -> None:
        raise RuntimeError("observer bug")

    client.add_observer(boom)
    result = await client.failure_reasons()
    assert result.data == []


async def test_max_wait_refuses_instead_of_waiting_and_sends_nothing() -> None:
    script = Script(ok())
    client, *_ = make(script, throttle=Throttle(1, 60.0), max_wait=5.0)
    await client.failure_reasons()
    with pytest.raises(ThrottledError) as info:
        await client.failure_reasons()
    assert info.value.code == "LocalThrottle"
    assert len(script.requests) == 1


async def test_every_operation_shares_one_registered_bucket() -> None:
    client, governor, *_ = make(Script(ok()))
    assert client.bucket_key("GetOrders") == client.bucket_key("SetStatusToCanceled")
    assert client.bucket_key() == BucketKey("sc.example.test", "u@example.test", "SellerCenter")
    [snap] = governor.snapshots()
    assert "SetStatusToCanceled" in snap.operations and "GetOrders" in snap.operations
    assert (snap.capacity, snap.restore_seconds) == (4, 0.5)


async def test_xml_format_is_asked_for_and_read() -> None:
    xml = (
        b"<SuccessResponse><Head><RequestId>abc</RequestId></Head><Body><Orders><Order>"
        b"<OrderId>7</OrderId><Statuses><Status>pending</Status><Status>canceled</Status>"
        b"</Statuses></Order></Orders></Body></SuccessResponse>"
    )
    script = Script(httpx.Response(200, content=xml))
    client, *_ = make(script, fmt="xml")
    result = await client.get_order(7)
    assert script.requests[0].url.params["Format"] == "XML"
    assert result.data.statuses == ["pending", "canceled"]
    assert result.meta.request_id == "abc" and result.meta.operation == "GetOrder"


async def test_json_api_body_example_round_trip() -> None:
    body = json.loads(
        '{"OrderItems":{"OrderItem":{"OrderItemId":"1","OrderId":"7","Status":"pending",'
        '"ItemPrice":"1.50"}}}'
    )
    client, *_ = make(Script(ok(body)))
    result = await client.order_items(7)
    assert [i.order_item_id for i in result.data] == ["1"]


def test_a_ca_bundle_path_is_loaded_or_refused_clearly(tmp_path: Any) -> None:
    import trustme

    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    clock = FakeClock()
    common: dict[str, Any] = {
        "endpoint": "https://127.0.0.1:8443",
        "user_id": "u",
        "api_key": Secret("k"),
        "governor": Governor(clock),
        "clock": clock,
    }
    assert SellerCenterClient(verify=str(bundle), **common).host == "127.0.0.1:8443"
    with pytest.raises(ConfigError, match="CA bundle"):
        SellerCenterClient(verify=str(tmp_path / "missing.pem"), **common)


async def test_a_mutation_cancelled_in_flight_is_journaled_unknown() -> None:
    import asyncio

    clock = FakeClock()
    started = asyncio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    client, _, journal, _ = make(hang, clock)
    task = asyncio.create_task(client.cancel_item(1, "Out of stock"))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert journal.entries[0]["status"] == "unknown"
    assert journal.entries[0]["error_code"] == "Cancelled"


async def test_the_user_agent_names_the_seller_when_one_is_set() -> None:
    from mwstui.sellercenter.http import seller_user_agent

    seen: list[str] = []

    def script(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("user-agent", ""))
        return ok()

    client, *_ = make(script, user_agent=seller_user_agent("FAL-SELLER-1"))
    await client.failure_reasons()
    assert seen[0].startswith("FAL-SELLER-1/Python/3.")
