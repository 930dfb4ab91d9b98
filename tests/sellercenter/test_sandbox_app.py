"""The SellerCenter sandbox app on the wire: verification order, shapes, statuses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import xmltodict

from mwstui.clock import FakeClock
from mwstui.sandbox.sellercenter.app import create_sellercenter_app
from mwstui.sandbox.sellercenter.state import DEMO_API_KEY, DEMO_USER, SellerCenterState
from mwstui.sellercenter.signing import format_timestamp, sign, signed_query


def params(clock: FakeClock, action: str = "GetFailureReasons", **extra: str) -> dict[str, str]:
    return {
        "Action": action,
        "Format": "JSON",
        "Timestamp": format_timestamp(clock.now()),
        "UserID": DEMO_USER,
        "Version": "1.0",
        **extra,
    }


async def call(
    app: Any,
    p: dict[str, str],
    *,
    method: str = "GET",
    key: str = DEMO_API_KEY,
    path: str = "/",
    signature: str | None = None,
) -> httpx.Response:
    p = {k: v for k, v in p.items() if v is not None}
    query = signed_query(p, signature if signature is not None else sign(key, p))
    if signature == "":
        query = query.replace("&Signature=", "")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sc.test") as http:
        return await http.request(method, f"{path}?{query}")


def error_of(response: httpx.Response) -> dict[str, str]:
    doc = xmltodict.parse(response.text) if response.text.startswith("<?xml") else response.json()
    head: dict[str, str] = doc["ErrorResponse"]["Head"]
    return head


@pytest.mark.parametrize("missing", ["Action", "Timestamp", "UserID", "Version"])
async def test_missing_common_parameter_is_e001(app: Any, clock: FakeClock, missing: str) -> None:
    p = params(clock)
    del p[missing]
    r = await call(app, p)
    head = error_of(r)
    assert r.status_code == 200
    assert (
        head["ErrorCode"] == "1"
        and head["ErrorMessage"] == f"E001: Parameter {missing} is mandatory"
    )
    assert head["ErrorType"] == "Sender"


async def test_missing_signature_is_e001(app: Any, clock: FakeClock) -> None:
    r = await call(app, params(clock), signature="")
    assert error_of(r)["ErrorMessage"] == "E001: Parameter Signature is mandatory"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"Version": "2.0"}, "E002"),
        ({"Timestamp": "yesterday"}, "E004"),
        ({"Timestamp": "2025-12-31T23:44:59+00:00"}, "E003"),  # 15 min 1 s behind
        ({"Timestamp": "2026-01-01T00:15:01Z"}, "E003"),  # 15 min 1 s ahead
        ({"Action": "GetProducts"}, "E008"),
        ({"Action": "SetStatusToCanceled"}, "E005"),  # a mutation over GET
        ({"UserID": "nobody@x.test"}, "E007"),
    ],
)
async def test_verification_codes(
    app: Any, clock: FakeClock, change: dict[str, str], code: str
) -> None:
    head = error_of(await call(app, {**params(clock), **change}))
    assert head["ErrorMessage"].startswith(f"{code}: ")
    assert head["ErrorCode"] == code[1:].lstrip("0")


@pytest.mark.parametrize(
    "stamp", ["2026-01-01T00:14:59+00:00", "2025-12-31T23:45:01+0000", "2026-01-01T00:00:00Z"]
)
async def test_timestamps_inside_the_window_in_every_sdk_format(
    app: Any, clock: FakeClock, stamp: str
) -> None:
    r = await call(app, {**params(clock), "Timestamp": stamp})
    assert "SuccessResponse" in r.json()


async def test_wrong_signature_is_e007(app: Any, clock: FakeClock) -> None:
    head = error_of(await call(app, params(clock), key="wrong"))
    assert head["ErrorMessage"] == "E007: Login failed. Signature mismatching"


async def test_format_defaults_to_xml_and_a_bad_one_is_e005(app: Any, clock: FakeClock) -> None:
    p = params(clock)
    del p["Format"]
    r = await call(app, p)
    assert r.headers["content-type"].startswith("application/xml")
    doc = xmltodict.parse(r.text)
    assert doc["SuccessResponse"]["Head"]["RequestAction"] == "GetFailureReasons"
    bad = await call(app, {**params(clock), "Format": "CSV"})
    assert error_of(bad)["ErrorMessage"].startswith("E005")


def scalars(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for v in node.values():
            yield from scalars(v)
    elif isinstance(node, list):
        for v in node:
            yield from scalars(v)
    else:
        yield node


async def test_json_shapes_are_strings_and_one_element_collections_are_objects(
    app: Any, clock: FakeClock, state: SellerCenterState
) -> None:
    one = next(o for o in state.orders.values() if len(o.items) == 1 and len(o.statuses) == 1)
    r = await call(app, params(clock, "GetOrderItems", OrderId=str(one.order_id)))
    doc = r.json()["SuccessResponse"]
    assert all(isinstance(v, str) for v in scalars(doc))
    assert isinstance(doc["Body"]["OrderItems"]["OrderItem"], dict)
    item = doc["Body"]["OrderItems"]["OrderItem"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", item["CreatedAt"])
    assert doc["Head"]["Timestamp"] == "2026-01-01T00:00:00+0000"
    assert doc["Head"]["RequestId"] == ""
    r = await call(app, params(clock, "GetOrder", OrderId=str(one.order_id)))
    order = r.json()["SuccessResponse"]["Body"]["Orders"]["Order"]
    assert isinstance(order, dict) and isinstance(order["Statuses"]["Status"], str)


async def test_get_orders_head_total_count_and_xml_equivalent(app: Any, clock: FakeClock) -> None:
    p = params(clock, "GetOrders", CreatedAfter="2020-01-01T00:00:00+00:00", Limit="3")
    j = (await call(app, p)).json()["SuccessResponse"]
    assert j["Head"]["TotalCount"] == "150" and len(j["Body"]["Orders"]["Order"]) == 3
    x = xmltodict.parse((await call(app, {**p, "Format": "XML"})).text)["SuccessResponse"]
    assert x["Head"]["TotalCount"] == "150"
    assert [o["OrderId"] for o in x["Body"]["Orders"]["Order"]] == [
        o["OrderId"] for o in j["Body"]["Orders"]["Order"]
    ]


async def test_empty_collection_and_empty_body(
    app: Any, clock: FakeClock, state: SellerCenterState
) -> None:
    p = params(clock, "GetOrders", CreatedAfter="2030-01-01T00:00:00Z")
    assert (await call(app, p)).json()["SuccessResponse"]["Body"] == {"Orders": ""}
    item = next(i for i in state.items.values() if i.status == "pending")
    p = params(
        clock, "SetStatusToCanceled", OrderItemId=str(item.order_item_id), Reason="Out of stock"
    )
    r = await call(app, p, method="POST")
    assert r.json()["SuccessResponse"]["Body"] == ""
    x = await call(app, {**p, "Format": "XML", "OrderItemId": "1"}, method="POST")
    assert error_of(x)["ErrorMessage"].startswith("E020")


async def test_e429_comes_with_http_429_per_user(clock: FakeClock) -> None:
    section = {"accounts": {"a@x.test": "ka", "b@x.test": "kb"}, "order_count": 1,
               "throttle": {"max_quota": 2, "restore_seconds": 10}}  # fmt: skip
    app = create_sellercenter_app(SellerCenterState.from_seed(section, clock), clock)
    pa, pb = params(clock, UserID="a@x.test"), params(clock, UserID="b@x.test")
    got = [(await call(app, pa, key="ka")).status_code for _ in range(3)]
    assert got == [200, 200, 429]
    r = await call(app, pa, key="ka")
    head = error_of(r)
    assert (head["ErrorCode"], head["ErrorMessage"]) == ("429", "E429: Too many requests")
    assert (await call(app, pb, key="kb")).status_code == 200  # another user's bucket
    clock.advance(10)
    assert (await call(app, pa, key="ka")).status_code == 200


async def test_other_paths_are_404(app: Any, clock: FakeClock) -> None:
    r = await call(app, params(clock), path="/api")
    assert r.status_code == 404 and "E005" in r.text


async def test_lifespan_is_answered(app: Any) -> None:
    sent: list[dict[str, Any]] = []
    incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive() -> dict[str, Any]:
        return next(incoming)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
