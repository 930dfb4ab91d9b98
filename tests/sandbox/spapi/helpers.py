"""Raw SP-API calls against a Sandbox app (httpx.ASGITransport), following only the spec."""

from __future__ import annotations

from typing import Any

import httpx

from mwstui.sandbox.sandbox import Sandbox

BASE_URL = "https://sellingpartnerapi-na.sandbox.test"
USER_AGENT = "mwstui-tests/1.0 (Language=Python/3.11; Platform=Linux)"
REPORTS = "/reports/2021-06-30"
FBA = "/fba/outbound/2020-07-01"


class SP:
    """An SP-API caller: exchanges the demo refresh token, then sends calls with it.

    Args:
        sandbox: the sandbox under test.
        client_id, client_secret, refresh_token: override the demo credentials.
    """

    def __init__(
        self,
        sandbox: Sandbox,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        refresh_token: str | None = None,
    ) -> None:
        creds = sandbox.credentials
        self.sandbox = sandbox
        self.client_id = client_id or creds.spapi_client_id
        self.client_secret = client_secret or creds.spapi_client_secret.reveal()
        self.refresh_token = refresh_token or creds.spapi_refresh_token.reveal()
        self.transport = httpx.ASGITransport(app=sandbox.spapi_app, client=("127.0.0.1", 40000))
        self.access_token: str | None = None

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=self.transport, base_url=BASE_URL)

    async def lwa(
        self, data: dict[str, str] | None = None, *, json: bool = False
    ) -> httpx.Response:
        """POST /auth/o2/token (form by default), with the demo fields unless overridden."""
        fields = {
            "grant_type": "refresh_token",
            "refresh_token": self.refresh_token,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        fields.update(data or {})
        async with self.client() as c:
            if json:
                return await c.post("/auth/o2/token", json=fields)
            return await c.post(
                "/auth/o2/token",
                data=fields,
                headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
            )

    async def login(self) -> str:
        r = await self.lwa()
        assert r.status_code == 200, r.text
        self.access_token = str(r.json()["access_token"])
        return self.access_token

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        token: str | None = None,
    ) -> httpx.Response:
        """One SP-API call with ``x-amz-access-token``; without ``token``, logs in first and
        once more when the token expired (as a client does)."""
        if token is None:
            r = await self._send(
                method, path, params, json, headers, self.access_token or await self.login()
            )
            if r.status_code == 403 and "expired" in r.text:
                r = await self._send(method, path, params, json, headers, await self.login())
            return r
        return await self._send(method, path, params, json, headers, token)

    async def _send(
        self,
        method: str,
        path: str,
        params: Any,
        json: Any,
        headers: dict[str, str] | None,
        token: str,
    ) -> httpx.Response:
        hdrs = {
            "x-amz-access-token": token,
            "x-amz-date": "20260101T000000Z",
            "user-agent": USER_AGENT,
            **(headers or {}),
        }
        async with self.client() as c:
            return await c.request(method, path, params=params, json=json, headers=hdrs)

    async def ok(self, method: str, path: str, **kw: Any) -> Any:
        """The JSON body of a call that must succeed (None for an empty body)."""
        r = await self.call(method, path, **kw)
        assert r.status_code < 300, r.text
        return r.json() if r.content else None


def error(r: httpx.Response) -> dict[str, Any]:
    """The first entry of an ``{"errors": [...]}`` body."""
    body = r.json()
    assert list(body) == ["errors"], body
    return dict(body["errors"][0])
