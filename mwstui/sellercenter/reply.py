"""One decoded SellerCenter answer, and the typed value built from its body."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, TypeVar

from mwstui import wire
from mwstui.calls import ResponseMeta
from mwstui.errors import MalformedResponseError
from mwstui.sellercenter import parsing

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Reply:
    """A successful answer: its envelope, what its headers said, and the zone of its times."""

    envelope: parsing.Envelope
    meta: ResponseMeta
    tz: tzinfo
    """The zone the answer's head states: its local times are read in it."""
    size: int = 0
    """Bytes of the answer: a large one's models are built on a worker thread."""

    async def build(self, build: Callable[[Any, tzinfo], T]) -> T:
        """``model(build)``, on a worker thread when the answer is large (a page of orders):
        the event loop keeps serving keys meanwhile.

        Raises:
            MalformedResponseError: the body is not what the operation answers.
        """
        return await wire.off_loop(self.size, lambda: self.model(build))

    def model(self, build: Callable[[Any, tzinfo], T]) -> T:
        """The typed value ``build`` makes of the body.

        Raises:
            MalformedResponseError: the body is not what the operation answers.
        """
        try:
            return build(self.envelope.body, self.tz)
        except parsing.ParseError as exc:
            raise MalformedResponseError(
                "MalformedResponse",
                str(exc),
                operation=self.meta.operation,
                http_status=self.meta.http_status,
            ) from None
