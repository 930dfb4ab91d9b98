"""RFC 3986 encoding and canonical queries shared by both signers (MWS SigV2, SellerCenter)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import quote

_SAFE = "-_.~"


def percent_encode(value: str) -> str:
    """Encode every byte but ``A-Z a-z 0-9 - _ . ~`` as upper-case ``%XY`` (space is ``%20``)."""
    return quote(value, safe=_SAFE)


def canonical_query(params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """Sort by encoded name in byte order and join ``name=value`` pairs with ``&``.

    Empty values keep their ``=`` (``Version=``), as both services expect.
    """
    items = params.items() if isinstance(params, Mapping) else params
    pairs = sorted((percent_encode(k), percent_encode(v)) for k, v in items)
    return "&".join(f"{k}={v}" for k, v in pairs)
