"""The sandbox answers in the shape of the recorded MWS traffic (tests/fixtures/mws-recorded).

Each recorded request is replayed (our credentials, same operation and parameters) and
the answer compared on what a client can rely on: status, root element, namespace, the
order of the elements both sides have, headers, date formats.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.sandbox.helpers import MWS, child_tags

RECORDED = Path(__file__).parents[2] / "fixtures" / "mws-recorded"
_DROP = {"AWSAccessKeyId", "MWSAuthToken", "SellerId", "Signature", "SignatureMethod",
         "SignatureVersion", "Timestamp", "Version", "Action"}  # fmt: skip
REPORTS_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
FBA_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$")


def recordings() -> list[Path]:
    return sorted(p for p in RECORDED.glob("*.json") if not p.name.startswith("any--"))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))  # type: ignore[no-any-return]


def local(tag: str) -> str:
    return tag.split("}")[-1]


def ns(tag: str) -> str:
    return tag[1:].split("}")[0] if tag.startswith("{") else ""


def order_agrees(recorded: list[str], ours: list[str]) -> bool:
    """The elements both have come in the same order (repeats collapsed)."""
    common = set(recorded) & set(ours)

    def squash(tags: list[str]) -> list[str]:
        out: list[str] = []
        for t in tags:
            if t in common and (not out or out[-1] != t):
                out.append(t)
        return out

    return squash(recorded) == squash(ours)


def first_child(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el if local(c.tag) == name), None)


@pytest.mark.parametrize("path", recordings(), ids=lambda p: p.stem)
async def test_replayed_recording_has_the_same_shape(path: Path, small_mws: MWS) -> None:
    rec = load(path)
    req, resp = rec["request"], rec["response"]
    params = {k: v for k, v in req["params"].items() if k not in _DROP}
    if req["params"]["Action"] == "UpdateReportAcknowledgements":
        params = {"ReportIdList.Id.1": "21175694446018424"}
    if req["params"]["Action"] == "GetReport":
        params = {"ReportId": "21175694446018424"}
    if req["params"]["Action"] == "CancelReportRequests" and resp["status"] == 200:
        params = {"ReportRequestIdList.Id.1": "51781018424"}
    r = await small_mws.call(req["params"]["Action"], params, path=req["path"])
    assert r.status_code == resp["status"], r.text
    for name in ("x-mws-request-id", "x-mws-timestamp", "date", "content-type"):
        assert name in r.headers
    recorded_quota = "x-mws-quota-max" in resp["headers"]
    assert ("x-mws-quota-max" in r.headers) == recorded_quota
    if recorded_quota:
        assert r.headers["x-mws-quota-max"] == resp["headers"]["x-mws-quota-max"]
    if not resp["headers"]["content-type"].startswith("text/xml"):
        assert "content-md5" in r.headers
        return
    theirs, ours = ET.fromstring(resp["body"].encode()), ET.fromstring(r.content)
    assert (local(ours.tag), ns(ours.tag)) == (local(theirs.tag), ns(theirs.tag))
    assert [local(c.tag) for c in ours] == [local(c.tag) for c in theirs]
    result = first_child(theirs, local(theirs[0].tag).replace("Response", "Result"))
    if local(theirs.tag) == "ErrorResponse":
        assert child_tags(r.content, "Error") == child_tags(resp["body"], "Error")
        return
    assert result is not None or local(theirs[0].tag) == "ResponseMetadata"
    name = local(theirs[0].tag)
    assert order_agrees(child_tags(resp["body"], name), child_tags(r.content, name))
    for item in ("ReportRequestInfo", "ReportInfo", "ReportSchedule"):
        t = first_child(theirs[0], item)
        o = first_child(ours[0], item)
        if t is not None and o is not None:
            # The service itself sent ReportInfo's last two elements in both orders.
            skip = {"AvailableDate"} if item == "ReportInfo" else set()
            t_tags = [local(c.tag) for c in t if local(c.tag) not in skip]
            assert order_agrees(t_tags, [local(c.tag) for c in o]), item
    rid = ours.find("{*}ResponseMetadata/{*}RequestId")
    assert rid is not None and rid.text == r.headers["x-mws-request-id"]


async def test_reports_dates_and_header_formats(mws: MWS) -> None:
    r = await mws.call("GetReportRequestList", {"MaxCount": "100"})
    doc = ET.fromstring(r.content)
    dates = [e.text for e in doc.iter() if local(e.tag).endswith("Date")]
    assert dates and all(REPORTS_DATE.match(d or "") for d in dates)
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", r.headers["x-mws-timestamp"])
    assert re.match(r"^\d+\.0$", r.headers["x-mws-quota-remaining"])
    assert r.headers["server"] == "Server"


async def test_fulfillment_dates_end_in_z(mws: MWS) -> None:
    r = await mws.call("ListAllFulfillmentOrders", path="/FulfillmentOutboundShipment/2010-10-01")
    doc = ET.fromstring(r.content)
    dates = [e.text for e in doc.iter() if local(e.tag).endswith("DateTime")]
    assert dates and all(FBA_DATE.match(d or "") for d in dates)


async def test_has_next_first_and_next_token_only_when_more(mws: MWS) -> None:
    r = await mws.call("GetReportList")
    tags = child_tags(r.content, "GetReportListResult")
    assert tags[:2] == ["HasNext", "NextToken"]
    r = await mws.call(
        "GetReportList", {"ReportTypeList.Type.1": "_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_"}
    )
    tags = child_tags(r.content, "GetReportListResult")
    assert tags[0] == "HasNext" and "NextToken" not in tags


async def test_server_text_is_escaped_in_xml(small_mws: MWS) -> None:
    from tests.sandbox.mws.test_fulfillment import order_params

    params = order_params("E-1", DisplayableOrderComment="<b>&amp; ]]> \x07 [@click=quit]")
    await small_mws.fba("CreateFulfillmentOrder", params)
    r = await small_mws.call(
        "GetFulfillmentOrder",
        {"SellerFulfillmentOrderId": "E-1"},
        path="/FulfillmentOutboundShipment/2010-10-01",
    )
    el = ET.fromstring(r.content).find(".//{*}DisplayableOrderComment")
    assert el is not None and el.text == "<b>&amp; ]]> \ufffd [@click=quit]"
