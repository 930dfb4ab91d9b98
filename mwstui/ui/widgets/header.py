"""The account line: badges, profile, seller, marketplace, host, where the secrets came from."""

from __future__ import annotations

import re

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from mwstui.catalog import load_catalog
from mwstui.session import AccountInfo, Session
from mwstui.ui.text import fmt
from mwstui.ui.text.safe_text import clean

PROFILES_HINT = Text("P profiles", style="dim")
"""Where the profile switcher is (shown when it has something to offer and there is room)."""


def marketplace_label(account: AccountInfo) -> str:
    """The marketplace id(s) with the country of each known Amazon one (``ATVPDKIKX0DER US``)."""
    if account.service not in ("mws", "spapi"):
        return clean(account.marketplace)
    catalog = load_catalog()
    lookup = catalog.spapi.marketplace if account.service == "spapi" else catalog.marketplace
    parts = []
    for mid in account.marketplace.replace(",", " ").split():
        known = lookup(mid)
        parts.append(f"{mid} {known.country}" if known else mid)
    return clean(", ".join(parts)) or "—"


_DETAIL = re.compile(r"\([^)]*\)|\S*[/~\\]\S*")
"""Backend names in brackets and file paths: detail ``mwstui profile list`` shows in full."""


def credential_label(source: str) -> str:
    """``source`` made short for the header.

    ``keyring (SecretService)`` → ``keyring``; ``encrypted file ~/.local/…/x.cfg`` →
    ``encrypted file``; ``env MWSTUI_MWS_SECRET_KEY`` and ``sandbox demo`` stay as they are.
    """
    parts = [" ".join(_DETAIL.sub(" ", part).split()) for part in source.split(" + ")]
    return clean(" + ".join(dict.fromkeys(p for p in parts if p)))


def account_fields(account: AccountInfo | None) -> list[Text]:
    """``profile demo``, ``seller A1…``, ``marketplace ATV… US``, ``host …``, ``secrets …``.

    One Text each; the credential source is short and dim, so it never competes with
    the account it belongs to.
    """
    if account is None:
        return [Text("no account configured", style="dim")]
    fields = [
        ("profile", clean(account.profile) or "—"),
        ("seller", clean(account.seller) or "—"),
        ("marketplace", marketplace_label(account)),
        ("host", clean(account.host) or "—"),
    ]
    out = [Text.assemble((f"{name} ", "dim"), (value, "bold")) for name, value in fields]
    source = credential_label(account.credential_source)
    if source:
        out.append(Text(f"secrets {source}", style="dim"))
    return out


def pack(parts: list[Text], width: int, sep: str = " · ") -> Text:
    """Join ``parts`` into lines no wider than ``width``, never splitting a part."""
    lines: list[Text] = [Text(end="")]
    for part in parts:
        line = lines[-1]
        gap = len(sep) if line.cell_len and line.plain[-1:] != " " else 0
        if line.cell_len and line.cell_len + gap + part.cell_len > width:
            lines.append(Text(end=""))
            line, gap = lines[-1], 0
        if gap:
            line.append(sep, style="dim")
        line.append_text(part)
    out = Text("\n", end="", no_wrap=True, overflow="ellipsis").join(lines)
    out.no_wrap, out.overflow = True, "ellipsis"
    return out


class AccountHeader(Widget):
    """One line that always says where the next call goes.

    The SANDBOX badge is text in reverse video, so it stays unmistakable without colour.

    Args:
        session: gives the badges and the accounts.
    """

    service: reactive[str] = reactive("mws", layout=True)
    """Whose account is restated: follows the active panel (``mws``, ``spapi``,
    ``sellercenter``, ``amazon`` for an Amazon panel without an account, or ``""`` on a
    panel of every service, such as Activity)."""

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session

    @property
    def account(self) -> AccountInfo | None:
        """The account shown now: the one that serves the active panel's service, or none.

        Never the other service's account: its profile and seller would be named for
        calls it does not make.
        """
        s = self.session
        if self.service == "sellercenter":
            return s.sellercenter_account
        if self.service == "mws":
            return s.mws_account
        if self.service == "spapi":
            return s.spapi_account
        if self.service == "amazon":
            return None
        return s.mws_account or s.spapi_account or s.sellercenter_account

    def parts(self) -> list[Text]:
        """Badges, the service, then the account fields, in display order."""
        head = Text(end="")
        if self.session.sandbox:
            head.append(" SANDBOX ", style="bold reverse")
            head.append(" ")
        if self.session.read_only:
            head.append(" READ-ONLY ", style="bold reverse")
            head.append(" ")
        account = self.account
        service = account.service if account is not None else self.service
        name = fmt.SERVICE_NAMES.get(service, "")
        if name:
            head.append(name, "italic")
        if account is not None and account.region:
            head.append(f" {clean(account.region)}", "italic")
        fields = account_fields(account)
        if account is None and name:
            fields = [Text(f"no {name} account in this session", style="dim")]
        # The service name and the profile travel together so the badge line never dangles.
        first = Text.assemble(head, " ", fields[0]) if head.plain.strip() else fields[0]
        return [first, *fields[1:]]

    def packed(self, width: int) -> Text:
        """The header at ``width``; the ``P profiles`` hint only where it costs no extra line."""
        parts = self.parts()
        text = pack(parts, width)
        if self.session.profiles or self.session.sandbox:
            hinted = pack([*parts, PROFILES_HINT], width)
            if len(hinted.plain.split("\n")) == len(text.plain.split("\n")):
                return hinted
        return text

    def render(self) -> Text:
        return self.packed(max(20, self.size.width or 200))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.packed(max(20, width)).plain.split("\n"))
