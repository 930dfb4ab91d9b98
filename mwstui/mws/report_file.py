"""A report's temporary file, written and hashed by two worker threads while the body streams.

MD5 (~500 MB/s) and file writes done between network reads halve a large download: the
event loop waits for the disk and the hash, the network waits for the loop. Here the
loop only copies each chunk into a buffer; a full buffer goes to two threads at once,
one hashing it and one writing it (``hashlib`` and ``os.write`` release the GIL for the
whole buffer), so receiving, hashing and writing all overlap. At most ``BUFFERS``
buffers of ``BUFFER_BYTES`` exist, reused in turn: memory stays bounded, and when the
disk or the hash is slower than the network, ``write`` waits for a free buffer.

Where the file system allows it (Linux ext4, xfs, btrfs …) the file is written with
``O_DIRECT`` from page-aligned buffers: the bytes go to the device without a second copy
in the page cache, and the final ``fsync`` has nothing left to flush. Buffered writes
and their write-back cost about 2 s of CPU per GiB on a small VM, as much as the MD5;
with direct I/O the writer thread mostly waits on the device. Elsewhere (tmpfs, macOS)
the writes are buffered and write-back is started as the file grows.
"""

from __future__ import annotations

import asyncio
import base64
import errno
import hashlib
import mmap
import os
import tempfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BUFFER_BYTES = 4 * 1024 * 1024
"""Bytes handed to the workers at a time: few GIL hand-offs, little memory."""
BUFFERS = 6
"""Buffers in turn (one filling, the others hashed, written or waiting): ~24 MB at most."""
WRITEBACK_BYTES = 32 * 1024 * 1024
"""Buffered writes: written bytes after which the kernel is asked to write them back."""
ALIGN = 4096
"""Direct I/O writes whole blocks from aligned memory (4096 covers every block size)."""

_DIRECT: int = getattr(os, "O_DIRECT", 0)
_START_WRITEBACK = getattr(os, "posix_fadvise", None)


def _set_direct(fd: int, on: bool) -> bool:
    """Turn ``O_DIRECT`` on or off for ``fd``; False when the system refuses (tmpfs …)."""
    if not _DIRECT:
        return False
    import fcntl  # POSIX only; _DIRECT is 0 elsewhere

    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, flags | _DIRECT if on else flags & ~_DIRECT)
    except OSError:
        return False
    return True


class _Sink:
    """The temporary file; only the writer thread touches it after creation."""

    def __init__(self, dest: Path) -> None:
        self.fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
        self.path = Path(name)
        self.direct = _set_direct(self.fd, True)
        self.size = 0
        self._written_back = 0

    def write(self, data: memoryview) -> None:
        if self.direct and len(data) % ALIGN:  # the short last piece: not a whole block
            self._buffered()
        while data:
            try:
                n = os.write(self.fd, data)
            except OSError as exc:
                if not (self.direct and exc.errno == errno.EINVAL):
                    raise
                self._buffered()  # the file system accepted the flag but not the write
                continue
            data, self.size = data[n:], self.size + n
        if (
            not self.direct
            and _START_WRITEBACK is not None
            and self.size - self._written_back >= WRITEBACK_BYTES
        ):
            # Linux starts writing these pages back without waiting for the disk, so the
            # final fsync flushes a tail instead of the whole report.
            start, self._written_back = self._written_back, self.size
            _START_WRITEBACK(self.fd, start, self.size - start, os.POSIX_FADV_DONTNEED)

    def finish(self) -> None:
        os.fsync(self.fd)
        os.close(self.fd)
        self.fd = -1

    def discard(self) -> None:
        try:
            if self.fd >= 0:
                os.close(self.fd)
                self.fd = -1
        except OSError:
            pass
        finally:
            self.path.unlink(missing_ok=True)

    def _buffered(self) -> None:
        self.direct = False
        _set_direct(self.fd, False)


class ReportFile:
    """A temporary file beside ``dest`` that becomes ``dest`` only on ``commit``.

    Call ``write`` for each chunk, then ``finish`` (everything on disk, returns the MD5)
    and ``commit``; on any failure ``discard``. A failure in the writer (disk full) is
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
        self._digest = hashlib.md5(usedforsecurity=False)
        self.received = 0
        """Bytes handed to ``write`` so far."""
        size = BUFFER_BYTES if expected is None else min(BUFFER_BYTES, expected)
        self._buffer_bytes = -(-max(size, 64 * 1024) // ALIGN) * ALIGN
        self._buffer: memoryview | None = None
        self._filled = 0
        self._free: list[memoryview] = []
        self._made = 0
        Pending = tuple[asyncio.Future[None], asyncio.Future[None], memoryview]
        self._pending: deque[Pending] = deque()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mwstui-report-w")
        self._hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mwstui-report-md5")
        self._closed = False

    @property
    def size(self) -> int:
        """Bytes written to the file (all of them once ``finish`` returned)."""
        return self._sink.size

    async def write(self, chunk: bytes) -> None:
        """Copy ``chunk`` into the current buffer; waits only when no buffer is free."""
        n = len(chunk)
        self.received += n
        buffer, filled = self._buffer, self._filled
        if buffer is not None and filled + n < len(buffer):
            # Most chunks (64 KiB from httpcore) fit with room to spare: one copy, no views.
            buffer[filled : filled + n] = chunk
            self._filled = filled + n
            return
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
        await asyncio.get_running_loop().run_in_executor(self._writer, self._sink.finish)
        self._shutdown()
        return base64.b64encode(self._digest.digest()).decode("ascii")

    def commit(self) -> None:
        """Rename the finished file to ``dest`` (replacing it atomically)."""
        self.path.replace(self.dest)

    async def discard(self) -> None:
        """Drop the temporary file (``dest`` is untouched); safe to call in any state."""
        for *futures, _ in self._pending:
            for future in futures:
                # Buffers not started are skipped; a failure nobody awaited is expected here.
                if not future.cancel() and not future.cancelled():
                    future.exception()
        self._pending.clear()
        self._buffer, self._free = None, []
        if self._closed:  # finished already (the hash did not match): the workers are gone
            self._sink.discard()
            return
        # Queued behind a write in progress, so the file is not closed under it; shielded,
        # so a second cancellation still leaves nothing on disk (the worker runs it anyway).
        gone = asyncio.get_running_loop().run_in_executor(self._writer, self._sink.discard)
        self._shutdown()
        await asyncio.shield(gone)

    def _shutdown(self) -> None:
        self._closed = True
        self._writer.shutdown(wait=False)
        self._hasher.shutdown(wait=False)

    def _hand_over(self) -> None:
        assert self._buffer is not None
        buffer, data = self._buffer, self._buffer[: self._filled]
        self._buffer, self._filled = None, 0
        loop = asyncio.get_running_loop()
        written = loop.run_in_executor(self._writer, self._sink.write, data)
        hashed = loop.run_in_executor(self._hasher, self._digest.update, data)
        self._pending.append((written, hashed, buffer))

    async def _free_buffer(self) -> memoryview:
        while self._pending and all(f.done() for f in self._pending[0][:2]):
            await self._reap()  # also raises a failure of the writer as soon as it is seen
        if self._free:
            return self._free.pop()
        if self._made < BUFFERS:
            self._made += 1
            # Anonymous mmap: page-aligned, as direct I/O wants; freed with its last view.
            return memoryview(mmap.mmap(-1, self._buffer_bytes))
        await self._reap()  # back-pressure: the workers are behind, wait for the oldest buffer
        return self._free.pop()

    async def _reap(self) -> None:
        written, hashed, buffer = self._pending[0]
        await written
        await hashed
        self._pending.popleft()
        self._free.append(buffer)
