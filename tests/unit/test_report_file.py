"""ReportFile: written and hashed in a worker thread, bounded memory, nothing left on failure."""

from __future__ import annotations

import asyncio
import base64
import ctypes
import errno
import hashlib
import os
import tempfile
import threading
from pathlib import Path
from types import SimpleNamespace

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


async def test_hashing_overlaps_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The writer holds its first buffer until that buffer is hashed: with one worker doing
    # both in turn, the hash would never come and the download would be serial.
    hashed = threading.Event()
    overlapped: list[bool] = []
    real_md5, real_write = hashlib.md5, report_file._Sink.write

    class Digest:
        def __init__(self) -> None:
            self.inner = real_md5()

        def update(self, data: memoryview) -> None:
            self.inner.update(data)
            hashed.set()

        def digest(self) -> bytes:
            return self.inner.digest()

    def write(self: report_file._Sink, data: memoryview) -> None:
        if not overlapped:  # the first buffer: its hash must come while the writer holds it
            overlapped.append(hashed.wait(timeout=10))
        real_write(self, data)

    monkeypatch.setattr(report_file, "hashlib", SimpleNamespace(md5=lambda **_: Digest()))
    monkeypatch.setattr(report_file._Sink, "write", write)
    out = ReportFile(tmp_path / "r.txt")
    await out.write(BODY)
    assert await out.finish() == md5_b64(BODY)
    assert overlapped == [True]


def direct_io_works(directory: Path) -> bool:
    fd, name = tempfile.mkstemp(dir=directory)
    try:
        return report_file._set_direct(fd, True)
    finally:
        os.close(fd)
        os.unlink(name)


@pytest.mark.parametrize("size", [4096 * 3, 256_000])
async def test_written_with_direct_io_where_the_file_system_allows_it(
    tmp_path: Path, size: int
) -> None:
    if not direct_io_works(tmp_path):
        pytest.skip("no O_DIRECT on this file system")
    out = ReportFile(tmp_path / "r.txt")
    await out.write(BODY[:size])  # whole buffers, then a tail that is not a whole block
    assert out._sink.direct  # the full buffers went to the device, no page-cache copy
    assert await out.finish() == md5_b64(BODY[:size])
    out.commit()
    assert (tmp_path / "r.txt").read_bytes() == BODY[:size]


async def test_a_refused_direct_write_falls_back_to_buffered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.write
    refused: list[int] = []

    def write(fd: int, data: memoryview) -> int:
        if not refused:
            refused.append(len(data))
            raise OSError(errno.EINVAL, "Invalid argument")
        return real(fd, data)

    monkeypatch.setattr(report_file, "_set_direct", lambda fd, on: on)
    monkeypatch.setattr(report_file.os, "write", write)
    out = ReportFile(tmp_path / "r.txt")
    await out.write(BODY)
    assert await out.finish() == md5_b64(BODY)
    out.commit()
    assert refused and not out._sink.direct
    assert (tmp_path / "r.txt").read_bytes() == BODY


async def test_buffers_are_page_aligned(tmp_path: Path) -> None:
    out = ReportFile(tmp_path / "r.txt", expected=70_000)
    await out.write(b"x")
    assert out._buffer is not None
    assert len(out._buffer) % report_file.ALIGN == 0
    address = ctypes.addressof(ctypes.c_char.from_buffer(out._buffer))
    assert address % report_file.ALIGN == 0
    await out.discard()
