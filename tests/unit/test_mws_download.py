"""GetReport: streamed to disk, Content-MD5 verified and retried, never a partial file."""

from __future__ import annotations

import errno
import gzip
import itertools
from pathlib import Path

import httpx
import pytest

from mwstui.calls import CallRecord
from mwstui.clock import FakeClock
from mwstui.errors import ConfigError, IntegrityError, NotFoundError, TransportError
from mwstui.mws import report_file
from tests.unit.mws_fakes import FakeMWS, Seen, error_xml, make_client, md5_b64, xml

REPORT = "\ufeffitem-name\tprice\r\nCaf\u00e9 \u2603\t1.00\r\n".encode() * 500


def report(body: bytes, md5: str | None = None, **extra: str) -> httpx.Response:
    headers = {"content-type": "text/plain;charset=utf-8", "x-mws-request-id": "dl-1", **extra}
    if md5 != "":
        headers["content-md5"] = md5 or md5_b64(body)
    return httpx.Response(200, headers=headers, content=body)


def files(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_saves_exact_bytes_and_verifies(clock: FakeClock, tmp_path: Path) -> None:
    server = FakeMWS(clock, {"GetReport": lambda s: report(REPORT)})
    client = make_client(clock, server.transport())
    records: list[CallRecord] = []
    client.add_observer(records.append)
    seen_progress: list[tuple[int, int | None]] = []
    dest = tmp_path / "orders.txt"
    res = await client.reports.download_report(
        " 2117 ", dest, progress=lambda n, total: seen_progress.append((n, total))
    )
    assert dest.read_bytes() == REPORT  # the BOM and CRLF kept as bytes
    d = res.data
    assert (d.path, d.size, d.md5, d.verified, d.attempts) == (
        dest,
        len(REPORT),
        md5_b64(REPORT),
        True,
        1,
    )
    assert d.content_type == "text/plain;charset=utf-8"
    assert res.meta.request_id == "dl-1"
    assert seen_progress[-1] == (len(REPORT), len(REPORT))
    assert server.seen[0].params["ReportId"] == "2117"
    assert server.seen[0].headers["accept-encoding"] == "identity"
    assert files(tmp_path) == ["orders.txt"]
    assert len(records[0].response_text) <= 4096 and records[0].response_text.startswith(
        "\ufeffitem-name"
    )


async def test_mismatch_is_retried_then_saved(clock: FakeClock, tmp_path: Path) -> None:
    bad = report(REPORT[:-1] + b"X", md5_b64(REPORT))
    responses = iter([bad, bad, report(REPORT)])
    server = FakeMWS(clock, {"GetReport": lambda s: next(responses)})
    client = make_client(clock, server.transport())
    records: list[CallRecord] = []
    client.add_observer(records.append)
    dest = tmp_path / "r.txt"
    res = await client.reports.download_report("1", dest)
    assert res.data.attempts == 3 and dest.read_bytes() == REPORT
    assert [r.error_code for r in records] == [
        "ContentMD5DoesNotMatch",
        "ContentMD5DoesNotMatch",
        None,
    ]
    assert files(tmp_path) == ["r.txt"]


async def test_persistent_mismatch_leaves_nothing_and_keeps_the_old_file(
    clock: FakeClock, tmp_path: Path
) -> None:
    server = FakeMWS(clock, {"GetReport": lambda s: report(b"corrupt", md5_b64(b"original"))})
    client = make_client(clock, server.transport())
    dest = tmp_path / "r.txt"
    dest.write_bytes(b"previous download")
    with pytest.raises(IntegrityError) as info:
        await client.reports.download_report("1", dest)
    assert info.value.code == "ContentMD5DoesNotMatch" and info.value.request_id == "dl-1"
    assert len(server.seen) == 4  # one try and three retries
    assert files(tmp_path) == ["r.txt"] and dest.read_bytes() == b"previous download"


async def test_connection_lost_mid_body_removes_the_temp_file(
    clock: FakeClock, tmp_path: Path
) -> None:
    class Broken(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            yield b"partial data"
            raise httpx.ReadError("connection reset")

    server = FakeMWS(
        clock,
        {"GetReport": lambda s: httpx.Response(200, headers={"content-md5": "x"}, stream=Broken())},
    )
    client = make_client(clock, server.transport())
    with pytest.raises(TransportError, match="ReadError"):
        await client.reports.download_report("1", tmp_path / "r.txt")
    assert files(tmp_path) == []


async def test_progress_failure_removes_the_temp_file(clock: FakeClock, tmp_path: Path) -> None:
    server = FakeMWS(clock, {"GetReport": lambda s: report(REPORT)})
    client = make_client(clock, server.transport())

    def stop(n: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        await client.reports.download_report("1", tmp_path / "r.txt", progress=stop)
    assert files(tmp_path) == []


async def test_without_content_md5_it_is_saved_unverified(clock: FakeClock, tmp_path: Path) -> None:
    server = FakeMWS(clock, {"GetReport": lambda s: report(b"a\tb\n", "")})
    client = make_client(clock, server.transport())
    res = await client.reports.download_report("1", tmp_path / "r.txt")
    assert res.data.verified is False and res.data.md5 == md5_b64(b"a\tb\n")


async def test_error_answer_writes_nothing(clock: FakeClock, tmp_path: Path) -> None:
    def gone(s: Seen) -> httpx.Response:
        return xml(error_xml("InvalidReportId", "Report not found"), 400)

    server = FakeMWS(clock, {"GetReport": gone})
    client = make_client(clock, server.transport())
    with pytest.raises(NotFoundError):
        await client.reports.download_report("1", tmp_path / "r.txt")
    assert files(tmp_path) == [] and len(server.seen) == 1


async def test_checks_before_sending(clock: FakeClock, tmp_path: Path) -> None:
    server = FakeMWS(clock)
    client = make_client(clock, server.transport())
    with pytest.raises(ConfigError):
        await client.reports.download_report("1", tmp_path / "missing" / "r.txt")
    with pytest.raises(ValueError):
        await client.reports.download_report("  ", tmp_path / "r.txt")
    assert server.seen == []


async def test_disk_full_in_the_writer_thread_removes_the_temp_file(
    clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: object, data: memoryview) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report_file._Sink, "write", full)
    server = FakeMWS(clock, {"GetReport": lambda s: report(REPORT)})
    client = make_client(clock, server.transport())
    records: list[CallRecord] = []
    client.add_observer(records.append)
    dest = tmp_path / "r.txt"
    dest.write_bytes(b"previous download")
    with pytest.raises(OSError, match="No space left"):
        await client.reports.download_report("1", dest)
    assert files(tmp_path) == ["r.txt"] and dest.read_bytes() == b"previous download"
    assert len(server.seen) == 1 and records[0].error_code == "LocalError"


async def test_a_large_body_in_many_chunks_is_saved_exactly(
    clock: FakeClock, tmp_path: Path
) -> None:
    body = bytes(range(256)) * 40_000  # 10 MB: several of the writer's buffers

    class Chunked(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            for i in range(0, len(body), 65_536):
                yield body[i : i + 65_536]

    headers = {"content-md5": md5_b64(body), "content-length": str(len(body))}
    server = FakeMWS(
        clock, {"GetReport": lambda s: httpx.Response(200, headers=headers, stream=Chunked())}
    )
    client = make_client(clock, server.transport())
    seen: list[int] = []
    res = await client.reports.download_report(
        "1", tmp_path / "r.txt", progress=lambda n, t: seen.append(n)
    )
    assert res.data.verified and res.data.size == len(body)
    assert (tmp_path / "r.txt").read_bytes() == body
    assert seen[-1] == len(body) and seen == sorted(seen) and len(seen) > 1
    assert files(tmp_path) == ["r.txt"]


async def test_progress_is_reported_once_a_mebibyte_and_at_the_end(
    clock: FakeClock, tmp_path: Path
) -> None:
    # One call per 64 KiB chunk made a GiB 16,384 progress-bar updates on the event loop.
    body = bytes(range(256)) * 40_000 + b"tail"

    class Chunked(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            for i in range(0, len(body), 65_536):
                yield body[i : i + 65_536]

    headers = {"content-md5": md5_b64(body), "content-length": str(len(body))}
    server = FakeMWS(
        clock, {"GetReport": lambda s: httpx.Response(200, headers=headers, stream=Chunked())}
    )
    client = make_client(clock, server.transport())
    seen: list[tuple[int, int | None]] = []
    await client.reports.download_report(
        "1", tmp_path / "r.txt", progress=lambda n, t: seen.append((n, t))
    )
    mib = 1024 * 1024
    assert seen[-1] == (len(body), len(body))
    assert len(seen) == len(body) // mib + 1
    assert all(b - a >= mib for (a, _), (b, _) in itertools.pairwise(seen[:-1]))


class Chunks(httpx.AsyncByteStream):
    """A body that really streams (as from a socket), in pieces of ``size`` bytes."""

    def __init__(self, body: bytes, size: int = 65_536) -> None:
        self.body, self.size = body, size

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        for i in range(0, len(self.body), self.size):
            yield self.body[i : i + self.size]


async def test_an_identity_body_is_read_raw_without_httpx_decoding_each_chunk(
    clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = REPORT * 20

    def decoded(*_: object, **__: object) -> None:
        raise AssertionError("an identity body went through httpx's decoder and re-chunker")

    monkeypatch.setattr(httpx.Response, "aiter_bytes", decoded)
    headers = {"content-md5": md5_b64(body), "content-encoding": "identity"}
    server = FakeMWS(
        clock, {"GetReport": lambda s: httpx.Response(200, headers=headers, stream=Chunks(body))}
    )
    res = await make_client(clock, server.transport()).reports.download_report(
        "1", tmp_path / "r.txt"
    )
    assert res.data.verified and (tmp_path / "r.txt").read_bytes() == body


async def test_a_body_encoded_despite_identity_is_still_decoded(
    clock: FakeClock, tmp_path: Path
) -> None:
    body = REPORT * 20
    headers = {"content-md5": md5_b64(body), "content-encoding": "gzip"}
    server = FakeMWS(
        clock,
        {
            "GetReport": lambda s: httpx.Response(
                200, headers=headers, stream=Chunks(gzip.compress(body), 1000)
            )
        },
    )
    res = await make_client(clock, server.transport()).reports.download_report(
        "1", tmp_path / "r.txt"
    )
    assert res.data.verified and (tmp_path / "r.txt").read_bytes() == body
