"""Opaque ``nextToken`` values: a snapshot of the ids still to come, behind a random token.

Tokens are standard base64 and always contain ``+``, ``/`` and ``=``, so a client that
sends one without URL-encoding it (or encodes it twice) fails here as it does at Amazon
(spec §8.2).
"""

from __future__ import annotations

import base64
import random
from collections import OrderedDict
from dataclasses import dataclass

_MAX_TOKENS = 2000


@dataclass(frozen=True, slots=True)
class Page:
    """One page of ids and the token for the rest (None on the last page)."""

    ids: list[str]
    next_token: str | None


class PageTokens:
    """Issues and redeems tokens, each bound to one seller and one list operation.

    Args:
        rng: token bytes (seeded, so runs are reproducible).
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._tokens: OrderedDict[str, tuple[str, str, list[str], int]] = OrderedDict()

    def first(self, seller: str, family: str, ids: list[str], size: int) -> Page:
        """The first ``size`` ids, and a token for the rest when there is more."""
        return self._page(seller, family, ids, size)

    def redeem(self, seller: str, family: str, token: str) -> Page | None:
        """The page ``token`` stands for (same size as the first); None when unknown."""
        entry = self._tokens.get(token)
        if entry is None or entry[0] != seller or entry[1] != family:
            return None
        self._tokens.move_to_end(token)
        return self._page(seller, family, entry[2], entry[3])

    def _page(self, seller: str, family: str, ids: list[str], size: int) -> Page:
        head, rest = ids[:size], ids[size:]
        if not rest:
            return Page(head, None)
        token = self._token()
        self._tokens[token] = (seller, family, rest, size)
        while len(self._tokens) > _MAX_TOKENS:
            self._tokens.popitem(last=False)
        return Page(head, token)

    def _token(self) -> str:
        while True:
            text = base64.b64encode(self._rng.randbytes(64)).decode()
            if "+" in text and "/" in text:
                # 64 bytes always end in "=="; a real-looking token has all three.
                return text
