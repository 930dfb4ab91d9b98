"""A large answer is parsed on a worker thread: the event loop serves keys meanwhile.

A small answer is parsed at once on the loop (the hop would cost more than its parse);
what the parse raises reaches the caller unchanged, typed and one line.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest

from mwstui import wire
from mwstui.clock import FakeClock
from mwstui.errors import MalformedResponseError, NotFoundError
from mwstui.mws.parsing import Document
from mwstui.sellercenter import parsing as sc_parsing
from tests.unit.mws_fakes import FakeMWS, Seen, envelope, error_xml, make_client, request_info, xml
from tests.unit.test_sellercenter_client import Script, make, ok

GATE_TIMEOUT = 10.0
"""Only a failing test waits this long: the parse blocked the loop the probe runs on."""


def big_list(seen: Seen) -> httpx.Response:
    infos = "".join(request_info(f"{n:011d}") for n in range(60))
    body = envelope("GetReportRequestList", f"<HasNext>false</HasNext>{infos}")
    assert len(body) > wire.OFF_LOOP_BYTES
    return xml(body)


def small_count(seen: Seen) -> httpx.Response:
    body = envelope("GetReportCount", "<Count>4</Count>")
    assert len(body) <= wire.OFF_LOOP_BYTES
    return xml(body)


async def test_a_large_page_parses_while_the_loop_serves_a_probe() -> None:
    clock = FakeClock()
    server = FakeMWS(clock, {"GetReportRequestList": big_list})
    client = make_client(clock, server.transport())
    gate = threading.Event()
    seen: dict[str, Any] = {}

    def parse(doc: Document) -> int:
        # Waits for the probe below: only possible if the loop runs while we parse.
        seen["thread"] = threading.get_ident()
        seen["probe_ran_meanwhile"] = gate.wait(GATE_TIMEOUT)
        return len(doc.result.children("ReportRequestInfo"))

    async def probe() -> None:
        while not gate.is_set():
            await asyncio.sleep(0)
            if "thread" in seen:  # the parse has started and is waiting for us
                gate.set()

    task = asyncio.create_task(probe())
    result = await client.call("GetReportRequestList", {}, parse)
    gate.set()
    await task
    await client.aclose()
    assert result.data == 60
    assert seen["thread"] != threading.get_ident()
    assert seen["probe_ran_meanwhile"] is True


async def test_a_small_answer_parses_on_the_loop() -> None:
    clock = FakeClock()
    client = make_client(clock, FakeMWS(clock, {"GetReportCount": small_count}).transport())
    threads: list[int] = []

    def parse(doc: Document) -> str | None:
        threads.append(threading.get_ident())
        return doc.result.text("Count")

    result = await client.call("GetReportCount", {}, parse)
    await client.aclose()
    assert result.data == "4" and threads == [threading.get_ident()]


async def test_errors_of_a_large_answer_stay_typed_and_one_line() -> None:
    clock = FakeClock()
    pad = "<!-- " + "x" * (wire.OFF_LOOP_BYTES + 10) + " -->"
    answers = iter(
        [
            xml(error_xml("InvalidParameterValue", "bad token", request_id="e-rid") + pad),
            xml("<GetReportRequestListResponse><unclosed>" + pad),
        ]
    )
    server = FakeMWS(clock, {"GetReportRequestList": lambda _s: next(answers)})
    client = make_client(clock, server.transport())
    with pytest.raises(Exception) as first:
        await client.call("GetReportRequestList", {}, lambda d: d)
    assert first.value.code == "InvalidParameterValue"  # type: ignore[attr-defined]
    assert first.value.request_id == "e-rid"  # type: ignore[attr-defined]
    with pytest.raises(MalformedResponseError) as second:
        await client.call("GetReportRequestList", {}, lambda d: d)
    assert second.value.operation == "GetReportRequestList"
    assert "\n" not in str(second.value)
    await client.aclose()


def items_answer(n: int) -> httpx.Response:
    items = [
        {"OrderItemId": str(9000 + k), "OrderId": "77", "Name": f"item {k}", "Sku": f"S{k}"}
        for k in range(n)
    ]
    return ok({"OrderItems": {"OrderItem": items}})


@pytest.mark.parametrize(("n", "off_loop"), [(200, True), (1, False)])
async def test_sellercenter_decodes_and_builds_a_large_answer_on_a_thread(
    monkeypatch: pytest.MonkeyPatch, n: int, off_loop: bool
) -> None:
    threads: dict[str, int] = {}
    decode, build = sc_parsing.decode, sc_parsing.order_items

    def decode_spy(content: bytes) -> sc_parsing.Envelope:
        threads["decode"] = threading.get_ident()
        return decode(content)

    def build_spy(body: Any, tz: Any) -> Any:
        threads["build"] = threading.get_ident()
        return build(body, tz)

    monkeypatch.setattr(sc_parsing, "decode", decode_spy)
    monkeypatch.setattr(sc_parsing, "order_items", build_spy)
    client, *_ = make(Script(items_answer(n)))
    result = await client.order_items("77")
    await client.aclose()
    assert [i.order_item_id for i in result.data] == [str(9000 + k) for k in range(n)]
    loop = threading.get_ident()
    assert (threads["decode"] != loop, threads["build"] != loop) == (off_loop, off_loop)


async def test_sellercenter_errors_of_a_large_answer_stay_typed() -> None:
    head = {"ErrorCode": "16", "ErrorMessage": "E016: Order not found", "ErrorType": "Sender"}
    pad = {"Pad": "x" * (wire.OFF_LOOP_BYTES + 10)}
    answer = httpx.Response(200, json={"ErrorResponse": {"Head": head, "Body": pad}})
    client, *_ = make(Script(answer))
    with pytest.raises(NotFoundError):
        await client.order_items("77")
    await client.aclose()
