"""Opaque NextTokens: a snapshot of the ids still to be returned, behind a random token."""

from __future__ import annotations

import base64
import random
from collections import OrderedDict
from dataclasses import dataclass

from mwstui.sandbox.mws.fault import MWSFault

_MAX_TOKENS = 2000


@dataclass(frozen=True, slots=True)
class Page:
    """One page of ids and the token for the rest (None on the last page)."""

    ids: list[str]
    next_token: str | None


def corrupted() -> MWSFault:
    return MWSFault(
        400,
        "NextTokenCorrupted",
        "The NextToken you provided is invalid or has expired. Restart with the list operation.",
    )


class TokenStore:
    """Issues and redeems tokens; each is bound to one seller and one list family.

    Tokens look like the real ones (standard base64, with ``+ / =``), so a client that
    forgets to percent-encode them fails its signature here as it would have at Amazon.

    Args:
        rng: where token bytes come from (seeded, so runs are reproducible).
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._tokens: OrderedDict[str, tuple[str, str, list[str]]] = OrderedDict()

    def first_page(self, seller: str, family: str, ids: list[str], size: int) -> Page:
        """The first ``size`` ids, plus a token for the rest when there is more."""
        return self._page(seller, family, ids, size)

    def next_page(self, seller: str, family: str, token: str, size: int) -> Page:
        """The page a token stands for.

        Raises:
            MWSFault: NextTokenCorrupted for an unknown token, or one issued to another
                seller or by another list operation.
        """
        entry = self._tokens.get(token)
        if entry is None or entry[0] != seller or entry[1] != family:
            raise corrupted()
        self._tokens.move_to_end(token)
        return self._page(seller, family, entry[2], size)

    def _page(self, seller: str, family: str, ids: list[str], size: int) -> Page:
        head, rest = ids[:size], ids[size:]
        if not rest:
            return Page(head, None)
        token = base64.b64encode(self._rng.randbytes(33 + self._rng.randrange(3))).decode()
        self._tokens[token] = (seller, family, rest)
        while len(self._tokens) > _MAX_TOKENS:
            self._tokens.popitem(last=False)
        return Page(head, token)
