"""ReportFile: written and hashed in a worker thread, bounded memory, nothing left on failure."""

from __future__ import annotations

import asyncio
import base64
import errno
import hashlib
import threading
from pathlib import Path

import pytest

from mwstui.mws import report_file
from mwstui.mws.report_file import ReportFile

BODY = bytes(range(256)) * 1000  # 256,000 bytes: several buffers at the test's size


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def files(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


@pytest.fixture(autouse=True)
def small_buffers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_file, "BUFFER_BYTES", 64 * 1024)
    monkeypatch.setattr(report_file, "WRITEBACK_BYTES", 100 * 1024)


def chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("size", [1, 1000, 64 * 1024, 100_000, 256_000])
async def test_writes_every_byte_in_order_and_hashes_them(tmp_path: Path, size: int) -> None:
    dest = tmp_path / "r.txt"
    out = ReportFile(dest)
    for chunk in chunks(BODY[:50_000] if size == 1 else BODY, size):
        await out.write(chunk)
    body = BODY[:50_000] if size == 1 else BODY
    assert out.received == len(body)
    assert await out.finish() == md5_b64(body)
    assert out.size == len(body)
    assert files(tmp_path) == [out.path.name] and out.path.name.startswith(".r.txt.")
    out.commit()
    assert dest.read_bytes() == body and files(tmp_path) == ["r.txt"]


async def test_an_empty_body(tmp_path: Path) -> None:
    out = ReportFile(tmp_path / "r.txt", expected=0)
    assert await out.finish() == md5_b64(b"")
    out.commit()
    assert (tmp_path / "r.txt").read_bytes() == b""


async def test_a_disk_failure_in_the_worker_is_raised_and_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = report_file._Sink.write
    calls: list[str] = []

    def full(self: report_file._Sink, data: memoryview) -> None:
        calls.append(threading.current_thread().name)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, data)

    monkeypatch.setattr(report_file._Sink, "write", full)
    dest = tmp_path / "r.txt"
    dest.write_bytes(b"previous")
    out = ReportFile(dest)
    with pytest.raises(OSError, match="No space left"):
        try:
            for chunk in chunks(BODY, 10_000):
                await out.write(chunk)
            await out.finish()
        except BaseException:
            await out.discard()
            raise
    assert all(name.startswith("mwstui-report") for name in calls)  # never the loop's thread
    assert files(tmp_path) == ["r.txt"] and dest.read_bytes() == b"previous"


async def test_memory_is_bounded_while_the_disk_lags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = report_file._Sink.write
    disk = threading.Event()

    def slow(self: report_file._Sink, data: memoryview) -> None:
        disk.wait()
        real(self, data)

    monkeypatch.setattr(report_file._Sink, "write", slow)
    out = ReportFile(tmp_path / "r.txt")
    buffer = report_file.BUFFER_BYTES
    for _ in range(report_file.BUFFERS):
        await out.write(b"x" * buffer)  # each fills a buffer: handed over, none free yet
    blocked = asyncio.ensure_future(out.write(b"y"))
    for _ in range(20):
        await asyncio.sleep(0)
    assert not blocked.done()  # waits for the worker instead of allocating a fifth buffer
    assert out._made == report_file.BUFFERS
    disk.set()
    await blocked
    assert await out.finish() == md5_b64(b"x" * buffer * report_file.BUFFERS + b"y")


async def test_discard_waits_for_a_write_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = report_file._Sink.write
    started, disk = threading.Event(), threading.Event()

    def slow(self: report_file._Sink, data: memoryview) -> None:
        started.set()
        disk.wait()
        real(self, data)  # the file must still be open here

    monkeypatch.setattr(report_file._Sink, "write", slow)
    out = ReportFile(tmp_path / "r.txt")
    await out.write(b"x" * report_file.BUFFER_BYTES)
    await asyncio.get_running_loop().run_in_executor(None, started.wait)
    gone = asyncio.ensure_future(out.discard())
    for _ in range(20):
        await asyncio.sleep(0)
    assert not gone.done() and files(tmp_path) == [out.path.name]
    disk.set()
    await gone
    assert files(tmp_path) == []
    await out.discard()  # twice is harmless


async def test_discard_after_finish_removes_the_file(tmp_path: Path) -> None:
    out = ReportFile(tmp_path / "r.txt")
    await out.write(BODY)
    await out.finish()
    await out.discard()
    assert files(tmp_path) == []


async def test_cancelled_while_waiting_for_a_buffer_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = report_file._Sink.write
    disk = threading.Event()

    def slow(self: report_file._Sink, data: memoryview) -> None:
        disk.wait()
        real(self, data)

    monkeypatch.setattr(report_file._Sink, "write", slow)
    out = ReportFile(tmp_path / "r.txt")

    async def stream() -> None:
        try:
            while True:
                await out.write(b"z" * 10_000)
        except BaseException:
            await out.discard()
            raise

    task = asyncio.ensure_future(stream())
    for _ in range(50):
        await asyncio.sleep(0)
    task.cancel()
    for _ in range(20):
        await asyncio.sleep(0)
    disk.set()  # the batch in progress ends; the queued ones are skipped
    with pytest.raises(asyncio.CancelledError):
        await task
    assert files(tmp_path) == []
