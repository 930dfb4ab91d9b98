"""Sized reports (ReportOptions ``SandboxReportBytes=N``): exact length, streamed, MD5 right."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from mwstui.clock import FakeClock
from mwstui.sandbox.asgi import BodyStream, Message, Reply, send_reply
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.sized_report import CHUNK, SizedReport, requested_size
from tests.sandbox.conftest import small_seed
from tests.sandbox.helpers import MWS

REPORT_ID = "21175694446099991"


@pytest.mark.parametrize(
    ("options", "size"),
    [
        ("SandboxReportBytes=1048576", 1048576),
        ("ShowSalesChannel=true;SandboxReportBytes=42", 42),
        ("SandboxReportBytes=42 ShowSalesChannel=true", 42),
        ("SandboxReportBytes=0", None),
        ("SandboxReportBytes=99999999999999", None),
        ("SandboxReportBytes=12x", None),
        ("XSandboxReportBytes=12", None),
        ("", None),
        (None, None),
    ],
)
def test_requested_size(options: str | None, size: int | None) -> None:
    assert requested_size(options) == size


@pytest.mark.parametrize("size", [1, 10, 300, CHUNK - 1, CHUNK, 3 * CHUNK + 17])
def test_body_has_the_exact_size_and_ends_with_a_newline(size: int) -> None:
    report = SizedReport(REPORT_ID, "_GET_FLAT_FILE_ORDERS_DATA_", 1.7e9, size)
    body = b"".join(report.chunks())
    assert len(body) == size
    assert body.endswith(b"\n")
    assert all(len(c) <= CHUNK for c in report.chunks())
    assert report.content_md5() == base64.b64encode(hashlib.md5(body).digest()).decode()


def test_xml_types_get_tab_delimited_rows() -> None:
    body = b"".join(SizedReport(REPORT_ID, "_GET_ORDERS_DATA_", 1.7e9, 5000).chunks())
    assert not body.startswith(b"<")
    assert b"\t" in body.split(b"\n")[0]


async def test_send_reply_streams_pieces_with_the_promised_length() -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    pieces = [b"abc", b"defg", b"h"]
    await send_reply(send, Reply(200, b"", [], BodyStream(8, lambda: iter(pieces))))
    assert (b"content-length", b"8") in sent[0]["headers"]
    assert [m["body"] for m in sent[1:]] == [*pieces, b""]
    assert [m["more_body"] for m in sent[1:]] == [True, True, True, False]


def _seed(options: str) -> dict[str, Any]:
    seed = small_seed()
    seed["mws"]["sellers"][0]["report_requests"].append(
        {
            "report_type": "_GET_MERCHANT_LISTINGS_DATA_",
            "status": "_DONE_",
            "submitted": -600,
            "options": options,
            "report_id": REPORT_ID,
        }
    )
    return seed


async def test_get_report_serves_the_sized_body_with_its_md5(clock: FakeClock) -> None:
    size = 2 * CHUNK + 123
    sandbox = Sandbox.create(seed=_seed(f"SandboxReportBytes={size}"), clock=clock, debug=True)
    mws = MWS(sandbox)
    first = await mws.call("GetReport", {"ReportId": REPORT_ID})
    again = await mws.call("GetReport", {"ReportId": REPORT_ID})
    assert first.status_code == 200
    assert len(first.content) == size == int(first.headers["content-length"])
    md5 = base64.b64encode(hashlib.md5(first.content).digest()).decode()
    assert first.headers["content-md5"] == md5
    assert again.content == first.content
    # Its header row is the listings family's (the report type still decides the columns).
    assert first.content.startswith("\ufeffitem-name".encode())


async def test_a_bad_size_option_leaves_the_usual_report(clock: FakeClock) -> None:
    sandbox = Sandbox.create(seed=_seed("SandboxReportBytes=nope"), clock=clock, debug=True)
    r = await MWS(sandbox).call("GetReport", {"ReportId": REPORT_ID})
    assert r.status_code == 200
    assert len(r.content) < 100_000
