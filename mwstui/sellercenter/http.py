"""What every SellerCenter request carries apart from the send path: the User-Agent a seller
needs, and the signed URL kept out of httpx's log."""

from __future__ import annotations

import logging
import sys

import httpx

from mwstui.sellercenter.signing import masked_url


class _MaskSignatureInLog(logging.Filter):
    """httpx logs every request URL at INFO; SellerCenter's carries the Signature."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                masked_url(a) if isinstance(a, httpx.URL) else a for a in record.args
            )
        return True


def mask_httpx_log() -> None:
    """Mask the Signature in the request URL httpx logs at INFO (idempotent)."""
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _MaskSignatureInLog) for f in logger.filters):
        logger.addFilter(_MaskSignatureInLog())


def seller_user_agent(seller_id: str | None) -> str | None:
    """The ``User-Agent`` Falabella requires: ``<SellerId>/<language>/<language version>``.

    None when the profile has no seller id (other SellerCenter instances do not ask).
    """
    if not seller_id or not seller_id.strip():
        return None
    lang = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"{seller_id.strip()}/Python/{lang}"
