"""Runs items one by one over a service call that takes many at once (chunks of 100).

The run dialog calls ``run`` once per item; the first item of each chunk sends the whole
chunk (one call) and the others read that call's answer. Those reads never suspend, so a
Stop pressed during a chunk takes effect before the next chunk and no item of a sent
chunk is ever reported as "not sent".
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping, Sequence

from mwstui.backend.actions import result_of_error
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.errors import MwstuiError

SendChunk = Callable[[list[str]], Awaitable[Mapping[str, ItemResult]]]
"""Sends one chunk and says how each of its items ended."""


def chunk_calls(count: int, size: int) -> int:
    """Calls needed for ``count`` items at ``size`` a call."""
    return math.ceil(count / size) if count > 0 else 0


class BatchedRun:
    """Per-item results over chunked calls.

    Args:
        keys: the items, in order (duplicates are acted on once).
        size: items one call takes.
        send: sends one chunk; an expected failure it raises applies to the whole chunk.
    """

    def __init__(self, keys: Sequence[str], size: int, send: SendChunk) -> None:
        if size < 1:
            raise ValueError("chunk size must be at least 1")
        self.keys = list(dict.fromkeys(keys))
        self._size = size
        self._send = send
        self._chunk_of = {key: i // size for i, key in enumerate(self.keys)}
        self._answers: dict[int, Mapping[str, ItemResult]] = {}

    @property
    def calls(self) -> int:
        """Calls the whole run makes."""
        return chunk_calls(len(self.keys), self._size)

    def chunk(self, index: int) -> list[str]:
        """The keys of chunk ``index``."""
        return self.keys[index * self._size : (index + 1) * self._size]

    async def run(self, key: str) -> ItemResult:
        """The result of ``key``, sending its chunk first if nobody has yet."""
        index = self._chunk_of.get(key)
        if index is None:
            return ItemResult(Outcome.NOT_SENT, "not part of this run")
        if index not in self._answers:
            chunk = self.chunk(index)
            try:
                self._answers[index] = await self._send(chunk)
            except (MwstuiError, ValueError) as exc:
                # A bug goes up to the run, which knows whether the chunk was sent.
                failed = result_of_error(exc)
                self._answers[index] = dict.fromkeys(chunk, failed)
        answer = self._answers[index]
        return answer.get(key) or ItemResult(
            Outcome.NOT_CONFIRMED, "sent, but the answer does not mention it: refresh"
        )
