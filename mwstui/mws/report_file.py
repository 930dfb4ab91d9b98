"""A report's temporary file, written and hashed in a worker thread while the body streams.

MD5 (~600 MB/s) and file writes done between network reads halve a large download: the
event loop waits for the disk and the hash, the network waits for the loop. Here the
loop only copies each chunk into a buffer; when a buffer is full, one worker thread
writes and hashes it (``hashlib`` and file writes release the GIL for the whole buffer,
so the worker needs the GIL only a few times per buffer and never slows the loop down).
At most ``BUFFERS`` buffers of ``BUFFER_BYTES`` exist, reused in turn: memory stays
bounded, and when the disk is slower than the network, ``write`` waits for a free one.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import tempfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BUFFER_BYTES = 4 * 1024 * 1024
"""Bytes handed to the worker at a time: few GIL hand-offs, little memory."""
BUFFERS = 4
"""Buffers in turn (one filling, the others written or waiting): ~16 MB at most."""
WRITEBACK_BYTES = 32 * 1024 * 1024
"""Written bytes after which the kernel is asked to start writing them back (see below)."""

_START_WRITEBACK = getattr(os, "posix_fadvise", None)


class _Sink:
    """The file and the digest; only the worker thread touches them."""

    def __init__(self, dest: Path) -> None:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
        self.path = Path(name)
        self.file = os.fdopen(fd, "wb")
        self.digest = hashlib.md5(usedforsecurity=False)
        self.size = 0
        self._written_back = 0

    def write(self, data: memoryview) -> None:
        self.file.write(data)
        self.digest.update(data)
        self.size += len(data)
        if _START_WRITEBACK is not None and self.size - self._written_back >= WRITEBACK_BYTES:
            # Linux starts writing these pages back without waiting for the disk, so the
            # final fsync flushes a tail instead of the whole report (0.4 s per GiB here).
            self.file.flush()
            start, self._written_back = self._written_back, self.size
            _START_WRITEBACK(self.file.fileno(), start, self.size - start, os.POSIX_FADV_DONTNEED)

    def finish(self) -> str:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        return base64.b64encode(self.digest.digest()).decode("ascii")

    def discard(self) -> None:
        try:
            self.file.close()  # flushes: may fail again (disk full); the fd is closed anyway
        except OSError:
            pass
        finally:
            self.path.unlink(missing_ok=True)


class ReportFile:
    """A temporary file beside ``dest`` that becomes ``dest`` only on ``commit``.

    Call ``write`` for each chunk, then ``finish`` (everything on disk, returns the MD5)
    and ``commit``; on any failure ``discard``. A failure in the worker (disk full) is
    raised by a later ``write`` or by ``finish``.

    Args:
        dest: the final file; the temporary one is created in its directory (same file
            system, so the rename is atomic).
        expected: the body's size if known (a small report gets a small buffer).
    """

    def __init__(self, dest: Path, expected: int | None = None) -> None:
        self.dest = dest
        self._sink = _Sink(dest)
        self.path = self._sink.path
        self.received = 0
        """Bytes handed to ``write`` so far."""
        self._buffer_bytes = BUFFER_BYTES if expected is None else min(BUFFER_BYTES, expected)
        self._buffer_bytes = max(self._buffer_bytes, 64 * 1024)
        self._buffer: bytearray | None = None
        self._filled = 0
        self._free: list[bytearray] = []
        self._made = 0
        self._pending: deque[tuple[asyncio.Future[None], bytearray]] = deque()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mwstui-report")
        self._closed = False

    @property
    def size(self) -> int:
        """Bytes written to the file (all of them once ``finish`` returned)."""
        return self._sink.size

    async def write(self, chunk: bytes) -> None:
        """Copy ``chunk`` into the current buffer; waits only when no buffer is free."""
        self.received += len(chunk)
        view = memoryview(chunk)
        while view:
            if self._buffer is None:
                self._buffer = await self._free_buffer()
            room = len(self._buffer) - self._filled
            part = view[:room]
            self._buffer[self._filled : self._filled + len(part)] = part
            self._filled += len(part)
            view = view[len(part) :]
            if self._filled == len(self._buffer):
                self._hand_over()

    async def finish(self) -> str:
        """Write what is left, fsync, close; returns the base64 MD5 of the whole body."""
        if self._buffer is not None and self._filled:
            self._hand_over()
        while self._pending:
            await self._reap()
        md5 = await asyncio.get_running_loop().run_in_executor(self._worker, self._sink.finish)
        self._worker.shutdown(wait=False)
        self._closed = True
        return md5

    def commit(self) -> None:
        """Rename the finished file to ``dest`` (replacing it atomically)."""
        self.path.replace(self.dest)

    async def discard(self) -> None:
        """Drop the temporary file (``dest`` is untouched); safe to call in any state."""
        for future, _ in self._pending:
            # Buffers not started are skipped; a failure nobody awaited is expected here.
            if not future.cancel() and not future.cancelled():
                future.exception()
        self._pending.clear()
        self._buffer, self._free = None, []
        if self._closed:  # finished already (the hash did not match): the worker is gone
            self._sink.discard()
            return
        self._closed = True
        # Queued behind a write in progress, so the file is not closed under it; shielded,
        # so a second cancellation still leaves nothing on disk (the worker runs it anyway).
        gone = asyncio.get_running_loop().run_in_executor(self._worker, self._sink.discard)
        self._worker.shutdown(wait=False)
        await asyncio.shield(gone)

    def _hand_over(self) -> None:
        assert self._buffer is not None
        buffer, data = self._buffer, memoryview(self._buffer)[: self._filled]
        self._buffer, self._filled = None, 0
        future = asyncio.get_running_loop().run_in_executor(self._worker, self._sink.write, data)
        self._pending.append((future, buffer))

    async def _free_buffer(self) -> bytearray:
        while self._pending and self._pending[0][0].done():
            await self._reap()  # also raises a failure of the worker as soon as it is seen
        if self._free:
            return self._free.pop()
        if self._made < BUFFERS:
            self._made += 1
            return bytearray(self._buffer_bytes)
        await self._reap()  # back-pressure: the worker is behind, wait for its oldest buffer
        return self._free.pop()

    async def _reap(self) -> None:
        future, buffer = self._pending.popleft()
        await future
        self._free.append(buffer)
