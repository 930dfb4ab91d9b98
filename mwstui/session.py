"""What the dashboard is handed: the clients, the governor, the journal and who the user is.

Built only by ``mwstui.cli`` (and by tests); the UI never constructs a client itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from mwstui.backend.backends import Backends
from mwstui.backend.models import AccountInfo
from mwstui.clock import Clock
from mwstui.throttle.governor import Governor

__all__ = [
    "SANDBOX_PROFILES",
    "AccountInfo",
    "OpenSandbox",
    "SandboxService",
    "Session",
    "SessionExit",
    "SwitchProfile",
]

SandboxService = Literal["mws", "spapi"]
"""Which Amazon service the sandbox dashboard talks to (SellerCenter is always beside it)."""

SANDBOX_PROFILES: dict[SandboxService, str] = {"mws": "sandbox", "spapi": "sandbox-spapi"}
"""The name each sandbox demo is shown under (header, switcher)."""

if TYPE_CHECKING:
    from mwstui.journal.store import Journal
    from mwstui.mws.client import MWSClient
    from mwstui.sellercenter.client import SellerCenterClient
    from mwstui.spapi.client import SPAPIClient


@dataclass
class Session:
    """Everything the app needs, wired by ``wiring.build_session``."""

    clock: Clock
    governor: Governor
    mws: MWSClient | None = None
    mws_account: AccountInfo | None = None
    sellercenter: SellerCenterClient | None = None
    sellercenter_account: AccountInfo | None = None
    spapi: SPAPIClient | None = None
    """The Amazon Selling Partner API client of an SP-API profile (instead of ``mws``)."""
    spapi_account: AccountInfo | None = None
    journal: Journal | None = None
    read_only: bool = False
    sandbox: bool = False
    """True when the endpoints are the embedded sandbox (the header shows a SANDBOX badge)."""
    download_dir: str = "."
    profiles: list[str] = field(default_factory=list)
    """Profile names the switcher offers."""
    profile: str = ""
    """The profile this session was opened on (``sandbox`` on the sandbox)."""
    first_run: bool = False
    """No profile is configured yet: the app offers the sandbox demo or adding one."""
    backends: Backends = field(default_factory=Backends)
    """The clients behind the backend seam (``mwstui.wiring``); panels move onto them."""

    @property
    def sandbox_service(self) -> SandboxService | None:
        """On the sandbox, the Amazon service of its demo account; None elsewhere."""
        if not self.sandbox:
            return None
        return "spapi" if self.spapi is not None else "mws"

    @property
    def services(self) -> int:
        """How many services this session can talk to."""
        return (self.mws is not None) + (self.sellercenter is not None) + (self.spapi is not None)

    async def aclose(self) -> None:
        """Close the clients' connections."""
        for client in (self.mws, self.sellercenter, self.spapi):
            if client is not None:
                await client.aclose()


@dataclass(frozen=True)
class SwitchProfile:
    """What the app exits with to reopen on another profile (the CLI rebuilds the clients)."""

    name: str


@dataclass(frozen=True)
class OpenSandbox:
    """What the app exits with to reopen on the embedded sandbox (first-run demo, switcher).

    The CLI keeps one sandbox running across reopenings, so what was done on the MWS demo
    is still there after a visit to the SP-API one.
    """

    service: SandboxService = "mws"
    """The Amazon demo account to open: MWS or SP-API (SellerCenter is beside either)."""


SessionExit = SwitchProfile | OpenSandbox | None
"""The app's return value: reopen on something else, or None to quit."""
