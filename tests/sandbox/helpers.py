"""Raw signed MWS calls against a Sandbox app, and small readers for the XML answers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import httpx
import xmltodict

from mwstui.clock import Clock
from mwstui.mws.signing import MWSAuth
from mwstui.sandbox.sandbox import Sandbox
from mwstui.secret import Secret

REPORTS = "/Reports/2009-01-01"
FBA = "/FulfillmentOutboundShipment/2010-10-01"
VERSIONS = {REPORTS: "2009-01-01", FBA: "2010-10-01", "/": "2009-01-01"}
USER_AGENT = "mwstui-tests/1.0 (Language=Python/3.11; Platform=Linux)"
BASE_URL = "http://mws.sandbox.test"


class MWS:
    """Signs with the client's MWSAuth and sends through httpx.ASGITransport.

    Args:
        sandbox: the sandbox under test.
        clock: the clock the signer stamps Timestamp from (default: the sandbox's).
        secret: override the secret key (to provoke SignatureDoesNotMatch).
        access_key: override the access key.
    """

    def __init__(
        self,
        sandbox: Sandbox,
        *,
        clock: Clock | None = None,
        secret: str | None = None,
        access_key: str | None = None,
        client: tuple[str, int] = ("127.0.0.1", 40000),
    ) -> None:
        creds = sandbox.credentials
        self.sandbox = sandbox
        self.seller_id = creds.seller_id
        self.auth = MWSAuth(
            access_key or creds.access_key,
            Secret(secret) if secret is not None else creds.secret_key,
            clock or sandbox.clock,
        )
        self.transport = httpx.ASGITransport(app=sandbox.mws_app, client=client)

    async def call(
        self,
        action: str,
        params: dict[str, str] | None = None,
        *,
        path: str = REPORTS,
        method: str = "POST",
        seller: str | None = None,
        headers: dict[str, str] | None = None,
        base_url: str = BASE_URL,
    ) -> httpx.Response:
        """One signed call; ``Action``, ``Version`` and ``SellerId`` are filled in."""
        data = {"Action": action, "Version": VERSIONS.get(path, "2010-10-01")}
        data["SellerId"] = seller if seller is not None else self.seller_id
        data.update(params or {})
        hdrs = {"User-Agent": USER_AGENT, **(headers or {})}
        async with httpx.AsyncClient(
            transport=self.transport, base_url=base_url, auth=self.auth, headers=hdrs
        ) as client:
            if method == "GET":
                return await client.get(path, params=data)
            return await client.post(path, data=data)

    async def ok(self, action: str, params: dict[str, str] | None = None, **kw: Any) -> Any:
        """The ``<ActionResult>`` of a call that must succeed (None when it has none)."""
        r = await self.call(action, params, **kw)
        assert r.status_code == 200, r.text
        doc = parse(r)[f"{action}Response"]
        return doc.get(f"{action}Result")

    async def fba(self, action: str, params: dict[str, str] | None = None, **kw: Any) -> Any:
        return await self.ok(action, params, path=FBA, **kw)


def parse(r: httpx.Response) -> dict[str, Any]:
    return xmltodict.parse(r.content)  # type: ignore[no-any-return]


def error(r: httpx.Response) -> dict[str, Any]:
    """``Error`` of an ErrorResponse, plus the request id under ``RequestId``."""
    doc = parse(r)["ErrorResponse"]
    err = dict(doc["Error"])
    err["RequestId"] = doc.get("RequestId") or doc.get("RequestID")
    return err


def as_list(value: Any) -> list[Any]:
    """xmltodict gives one element as a dict and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def child_tags(xml: bytes | str, *path: str) -> list[str]:
    """Local names of the children of the element at ``path`` (document order)."""
    el = ET.fromstring(xml)
    for name in path:
        found = next((c for c in el if c.tag.split("}")[-1] == name), None)
        assert found is not None, f"no {name} under {el.tag}"
        el = found
    return [c.tag.split("}")[-1] for c in el]
