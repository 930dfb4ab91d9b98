"""Add a profile from the dashboard: every field checked before anything is stored.

The fields of each service are in ``profile_fields``; the checks are ``mwstui.profiles``'
(the same as ``mwstui profile add``), so the form never has a copy of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, SelectionList, Static

from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError
from mwstui.secret import Secret
from mwstui.settings.credential_store import CredentialStore
from mwstui.settings.credentials import secret_specs
from mwstui.settings.new_profile import (
    PassphraseNeed,
    ProfileDraft,
    add_profile,
    draft_problems,
    draft_to_profile,
    passphrase_need,
    secret_problems,
    secrets_from,
)
from mwstui.settings.profile import Profile, Service, StoreKind
from mwstui.ui.profiles.form_passphrase import FormPassphrase, StoreFactory, default_store
from mwstui.ui.profiles.profile_fields import (
    CUSTOM_HOST,
    FIELDS,
    SECRET_FIELDS,
    SECTIONS,
    SERVICES,
    mws_fields,
    row,
    sellercenter_fields,
    spapi_fields,
    spapi_marketplaces,
)
from mwstui.ui.text.safe_text import clean

__all__ = ["CUSTOM_HOST", "ProfileFormModal"]


class ProfileFormModal(ModalScreen[str | None]):
    """The add-profile form; dismisses with the saved profile's name, or None.

    Args:
        taken: names of existing profiles (refused as the new name).
        store_factory: opens the credential store (default: as ``mwstui profile add``).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(
        self, taken: Collection[str] = (), *, store_factory: StoreFactory | None = None
    ) -> None:
        super().__init__(classes="form-modal", id="profile-form")
        self.taken = frozenset(taken)
        self.answers = FormPassphrase()
        self._factory = store_factory or default_store
        self.store: CredentialStore | None = None
        self.kind: StoreKind | None = None
        self.need: PassphraseNeed = "none"
        self.saving = False
        self._derived_endpoint = ""

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Add a profile", style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(
                    Text(
                        "A profile is one seller account on one service. Its name, ids and "
                        "endpoint go to config.toml; its secrets never do.",
                        style="dim",
                    ),
                    classes="form-note",
                )
                yield Static(Text("Checking the keyring…", style="dim"), id="pf-store")
                service = Select(
                    SERVICES,
                    value=Service.SPAPI.value,
                    allow_blank=False,
                    id="pf-service",
                    compact=True,
                )
                yield from row("Service", service)
                yield from row("Name", Input(placeholder="e.g. eu", id="pf-name"), "name")
                with Vertical(id=SECTIONS[Service.MWS]):
                    yield from mws_fields()
                with Vertical(id=SECTIONS[Service.SPAPI]):
                    yield from spapi_fields()
                with Vertical(id=SECTIONS[Service.SELLERCENTER]):
                    yield from sellercenter_fields()
                yield Checkbox(
                    "Read-only: never send anything that changes state",
                    id="pf-readonly",
                    compact=True,
                )
                with Vertical(id="pf-pass"):
                    yield Static(Text(""), classes="form-note", id="pf-pass-note")
                    yield from row(
                        "Passphrase", Input(password=True, id="pf-passphrase"), "passphrase"
                    )
                    yield from row("Repeat it", Input(password=True, id="pf-repeat"), "repeat")
                yield Static(Text(""), classes="form-error", id="pf-status")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back", id="pf-back", compact=True)
                yield Button("Save", id="pf-save", compact=True, variant="primary")

    def on_mount(self) -> None:
        self._show_service(self.service)
        self.query_one("#pf-pass").display = False
        self.query_one("#pf-url-row").display = False
        self.query_one("#pf-save", Button).disabled = True
        for error in self.query(".pf-error"):
            error.display = False
        self.query_one("#pf-name", Input).focus()
        self._inspect_store()

    # -- the store ------------------------------------------------------------------------------

    @work(exclusive=True, group="profile-store")
    async def _inspect_store(self) -> None:
        """Find where the secrets will go (keyring detection is time-boxed, off the loop)."""

        def facts() -> tuple[CredentialStore, StoreKind, str, PassphraseNeed]:
            store = self._factory(self.answers)
            kind = store.default_kind()
            return store, kind, store.label(kind), passphrase_need(store, kind)

        status = self.query_one("#pf-store", Static)
        try:
            self.store, self.kind, label, self.need = await asyncio.to_thread(facts)
        except MwstuiError as exc:
            status.update(
                Text(f"The secrets cannot be stored: {clean(str(exc))}", style="bold red")
            )
            return
        status.update(Text(f"The secrets will go to the {clean(label)}.", style="dim"))
        if self.need != "none":
            what = "a new passphrase for it" if self.need == "new" else "its passphrase"
            self.query_one("#pf-pass-note", Static).update(
                Text(
                    f"The secrets are kept in a passphrase-protected encrypted file. "
                    f"Type {what} (or set MWSTUI_KEYRING_PASSPHRASE before starting mwstui).",
                    style="yellow",
                )
            )
            self.query_one("#pf-pass").display = True
            self.query_one("#pf-repeat-row").display = self.need == "new"
        self.query_one("#pf-save", Button).disabled = False

    # -- reacting -------------------------------------------------------------------------------

    @property
    def service(self) -> Service:
        """The service chosen."""
        return Service(str(self.query_one("#pf-service", Select).value))

    @on(Select.Changed, "#pf-service")
    def _service_changed(self) -> None:
        self._show_service(self.service)

    def _show_service(self, service: Service) -> None:
        for kind, section in SECTIONS.items():
            self.query_one(f"#{section}").display = service is kind

    @on(Select.Changed, "#pf-region")
    def _region_changed(self, event: Select.Changed) -> None:
        # Only the region's marketplaces can be chosen: the others would be refused.
        markets: SelectionList[str] = self.query_one("#pf-sp-markets", SelectionList)
        chosen = set(markets.selected)
        markets.clear_options()
        if isinstance(event.value, str):
            markets.add_options(
                (label, mid, mid in chosen) for label, mid in spapi_marketplaces(event.value)
            )

    @on(Select.Changed, "#pf-marketplace")
    def _marketplace_changed(self, event: Select.Changed) -> None:
        # The endpoint follows the marketplace unless it was typed over.
        known = load_catalog().marketplace(str(event.value))
        endpoint = self.query_one("#pf-endpoint", Input)
        if known is not None and endpoint.value in ("", self._derived_endpoint):
            endpoint.value = self._derived_endpoint = known.endpoint

    @on(Select.Changed, "#pf-host")
    def _host_changed(self, event: Select.Changed) -> None:
        self.query_one("#pf-url-row").display = event.value == CUSTOM_HOST

    # -- checking and saving --------------------------------------------------------------------

    def draft(self) -> ProfileDraft:
        """The non-secret fields as typed."""
        service = self.service
        if service is Service.SPAPI:
            return self._spapi_draft()
        if service is Service.MWS:
            endpoint = self.query_one("#pf-endpoint", Input).value
        else:
            host = self.query_one("#pf-host", Select).value
            custom = host == CUSTOM_HOST or not isinstance(host, str)
            endpoint = self.query_one("#pf-url", Input).value if custom else str(host)
        market = self.query_one("#pf-marketplace", Select).value
        return ProfileDraft(
            service=service,
            name=self.query_one("#pf-name", Input).value,
            read_only=self.query_one("#pf-readonly", Checkbox).value,
            marketplace_id=market if isinstance(market, str) else "",
            endpoint=endpoint,
            seller_id=self.query_one("#pf-seller", Input).value,
            access_key_id=self.query_one("#pf-access", Input).value,
            sellercenter_user_id=self.query_one("#pf-user", Input).value,
            sellercenter_seller_id=self.query_one("#pf-sc-seller", Input).value,
        )

    def _spapi_draft(self) -> ProfileDraft:
        region = self.query_one("#pf-region", Select).value
        markets: SelectionList[str] = self.query_one("#pf-sp-markets", SelectionList)
        return ProfileDraft(
            service=Service.SPAPI,
            name=self.query_one("#pf-name", Input).value,
            read_only=self.query_one("#pf-readonly", Checkbox).value,
            region=region if isinstance(region, str) else "",
            # In the order they were chosen: the first is the profile's default.
            marketplace_ids=tuple(markets.selected),
            seller_id=self.query_one("#pf-sp-seller", Input).value,
            lwa_client_id=self.query_one("#pf-lwa-id", Input).value,
        )

    def typed_secrets(self) -> dict[str, str]:
        """The service's secret fields as typed (kept only until they are wrapped)."""
        return {
            spec.name: self.query_one(f"#{SECRET_FIELDS[spec.name]}", Input).value
            for spec in secret_specs(self.service)
        }

    def problems(self) -> dict[str, str]:
        """Every problem of the form, by field; empty when it can be saved."""
        typed = self.typed_secrets()
        problems = draft_problems(self.draft(), taken=self.taken)
        problems.update(secret_problems(self.service, typed))
        if self.need != "none":
            passphrase = self.query_one("#pf-passphrase", Input).value
            if not passphrase.strip():
                problems["passphrase"] = "type the keyring file's passphrase"  # noqa: S105
            elif self.need == "new" and passphrase != self.query_one("#pf-repeat", Input).value:
                problems["repeat"] = "the two passphrases differ"
        return problems

    def _show_problems(self, problems: dict[str, str]) -> None:
        """Each message next to its field; focus the first field at fault."""
        for error in self.query(".pf-error").results(Static):
            # A field of a service not chosen is hidden with its section: never shown.
            shown = error.parent is not None and error.parent.display
            message = problems.get(error.name or "", "") if shown else ""
            error.update(Text(clean(message), style="bold red"))
            error.display = bool(message)
        first = next((w for f, w in self._field_order() if f in problems), None)
        if first is not None:
            self.query_one(f"#{first}").focus()

    def _field_order(self) -> list[tuple[str, str]]:
        """(field, widget id) in screen order."""
        return [
            ("name", "pf-name"),
            *FIELDS[self.service],
            ("passphrase", "pf-passphrase"),
            ("repeat", "pf-repeat"),
        ]

    @on(Input.Submitted)
    @on(Button.Pressed, "#pf-save")
    def action_save(self) -> None:
        """Check every field; store nothing unless all are right."""
        if self.saving or self.store is None or self.kind is None:
            return
        problems = self.problems()
        self._show_problems(problems)
        status = self.query_one("#pf-status", Static)
        if problems:
            status.update(
                Text("Nothing was stored: fix the fields marked above.", style="bold red")
            )
            return
        status.update(Text("Saving…", style="dim"))
        self.answers.reset(self.query_one("#pf-passphrase", Input).value)
        profile = draft_to_profile(self.draft())
        # Set before the worker starts: a second Enter must not start (or cancel) a save.
        self._set_saving(True)
        self._save(profile, secrets_from(profile.service, self.typed_secrets()))

    @work(group="profile-save")
    async def _save(self, profile: Profile, secrets: dict[str, Secret]) -> None:
        store, kind = self.store, self.kind
        assert store is not None and kind is not None
        try:
            # Off the loop: the keyring and Argon2 take time (each call is time-boxed).
            await asyncio.to_thread(add_profile, profile, secrets, store=store, kind=kind)
        except MwstuiError as exc:
            self._set_saving(False)
            self.query_one("#pf-status", Static).update(
                Text(f"Nothing was saved: {clean(str(exc))}", style="bold red")
            )
            return
        # The dashboard reopens on this profile: it must not ask for the passphrase again.
        store.share_unlocked()
        self.dismiss(profile.name)

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.query_one("#pf-save", Button).disabled = saving
        self.query_one("#pf-back", Button).disabled = saving

    @on(Button.Pressed, "#pf-back")
    def action_cancel(self) -> None:
        """Leave without storing anything (not while a save is under way)."""
        if self.saving:
            self.notify("Saving the profile; the keyring answers within its time limit.")
            return
        self.dismiss(None)
