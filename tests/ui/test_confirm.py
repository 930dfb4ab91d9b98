"""The confirmation dialog: restates everything, safe by default, typed count above ten."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.widgets import Button, Input, Static

from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.session import AccountInfo, Session
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.governor import Governor
from mwstui.ui.dialogs.confirm import (
    ConfirmModal,
    ConfirmRequest,
    build_confirm_request,
    expected_text,
)

ACCOUNT = AccountInfo(
    profile="shop-eu", service="mws", seller="A1SELLER", marketplace="A1PM", host="mws.test"
)


@dataclass
class FakeClient:
    host: str = "mws.test"
    seller_id: str = "A1SELLER"

    def bucket_key(self, operation: str) -> BucketKey:
        return BucketKey(self.host, self.seller_id, load_catalog().operation(operation).bucket)


class Host(App[None]):
    def __init__(self, request: ConfirmRequest) -> None:
        super().__init__()
        self.request = request
        self.answers: list[bool | None] = []

    def compose(self) -> ComposeResult:
        yield Static("main")

    def on_mount(self) -> None:
        self.push_screen(ConfirmModal(self.request), self.answers.append)


def request(n: int = 2, **kw: object) -> ConfirmRequest:
    base: dict[str, object] = {
        "title": "Cancel orders",
        "account": ACCOUNT,
        "operation": "CancelFulfillmentOrder",
        "items": [f"ORDER-{i}" for i in range(n)],
        "skipped": [("ORDER-X", "status PROCESSING")],
        "calls": n,
        "throttle_cost": "2 calls",
        "expected_seconds": 0.0,
        "action_label": "Cancel orders",
    }
    base.update(kw)
    return ConfirmRequest(**base)  # type: ignore[arg-type]


def shown(app: App[None]) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def test_restates_account_items_skips_and_cost() -> None:
    app = Host(request())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = shown(app)
        for expected in (
            "shop-eu", "A1SELLER", "A1PM", "mws.test", "ORDER-0", "ORDER-1",
            "ORDER-X", "status PROCESSING", "CancelFulfillmentOrder", "immediately",
        ):  # fmt: skip
            assert expected in text
        assert app.screen.focused is not None and app.screen.focused.id == "confirm-back"


async def test_enter_on_default_declines() -> None:
    app = Host(request())
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [False]


async def test_escape_declines() -> None:
    app = Host(request())
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.answers == [False]


async def test_action_button_confirms() -> None:
    app = Host(request())
    async with app.run_test() as pilot:
        await pilot.press("tab", "enter")
        await pilot.pause()
    assert app.answers == [True]


async def test_click_confirms() -> None:
    app = Host(request())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#confirm-go")
        await pilot.pause()
    assert app.answers == [True]


async def test_more_than_ten_needs_the_typed_count() -> None:
    app = Host(request(12))
    async with app.run_test(size=(80, 24)) as pilot:
        go = app.screen.query_one("#confirm-go", Button)
        assert go.disabled
        # Focus starts in the count field: typing the count at once works.
        assert app.screen.focused is app.screen.query_one("#confirm-count", Input)
        assert "Type 12 and Enter to confirm" in shown(app)
        await pilot.press("1", "1", "enter")
        assert go.disabled
        assert "not 12" in shown(app)
        assert app.answers == []
        await pilot.press("backspace", "2")
        assert not go.disabled
        await pilot.press("enter")  # the right count and Enter confirm
        await pilot.pause()
    assert app.answers == [True]


async def test_left_and_right_move_between_the_buttons() -> None:
    app = Host(request())
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.focused is not None and app.screen.focused.id == "confirm-back"
        await pilot.press("right")
        assert app.screen.focused is not None and app.screen.focused.id == "confirm-go"
        await pilot.press("left")
        assert app.screen.focused is not None and app.screen.focused.id == "confirm-back"
        await pilot.press("right", "enter")
        await pilot.pause()
    assert app.answers == [True]


async def test_every_title_asks_once_and_items_show_what_they_are() -> None:
    app = Host(request(title="Cancel 2 report requests", item_notes={"ORDER-0": "_GET_X_"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = shown(app)
        assert "Cancel 2 report requests?" in text and "??" not in text
        assert "ORDER-0  _GET_X_" in text
    app = Host(request(title="Delete 1 schedule?"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Delete 1 schedule?" in shown(app) and "??" not in shown(app)


async def test_ten_items_need_no_typed_count() -> None:
    app = Host(request(10))
    async with app.run_test() as pilot:
        assert not app.screen.query("#confirm-count")
        assert not app.screen.query_one("#confirm-go", Button).disabled
        await pilot.press("escape")


async def test_nothing_to_do_disables_the_action() -> None:
    app = Host(request(0))
    async with app.run_test() as pilot:
        assert app.screen.query_one("#confirm-go", Button).disabled
        assert "every item is skipped" in shown(app)
        await pilot.click("#confirm-go")
        await pilot.press("escape")
        await pilot.pause()
    assert app.answers == [False]


async def test_server_text_is_never_markup() -> None:
    evil = "[@click=app.quit]x[/] [b]bold[/b] \x1b[2J"
    req = request(items=[evil], skipped=[(evil, "[red]why[/red]")])
    app = Host(req)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        items = app.screen.query_one("#confirm-items", Static).render()
        assert "[@click=app.quit]x[/] [b]bold[/b] [2J" in str(items)
        assert "[red]why[/red]" in str(app.screen.query_one("#confirm-skipped", Static).render())
        await pilot.press("escape")


def test_build_computes_cost_and_duration_from_the_governor() -> None:
    clock = FakeClock()
    governor = Governor(clock)
    session = Session(clock=clock, governor=governor)
    client = FakeClient()
    throttle = load_catalog().operation("CancelFulfillmentOrder").throttle
    req = build_confirm_request(
        session, client, "CancelFulfillmentOrder", [f"O{i}" for i in range(40)],
        [("P", "status PROCESSING")], account=ACCOUNT, action_label="Cancel 40",
    )  # fmt: skip
    assert req.calls == 40
    assert req.expected_seconds == governor.estimate(
        client.bucket_key("CancelFulfillmentOrder"), throttle, 40
    )
    assert req.expected_seconds > 0  # 40 calls exceed the burst of the catalog bucket
    assert f"/{throttle.capacity}" in req.throttle_cost
    assert "40 tokens" in req.throttle_cost
    assert req.needs_typed_count
    assert "paced" in expected_text(req.expected_seconds)


def test_build_takes_the_account_of_the_client() -> None:
    clock = FakeClock()
    client = FakeClient()
    session = Session(
        clock=clock,
        governor=Governor(clock),
        mws=client,
        mws_account=ACCOUNT,  # type: ignore[arg-type]
    )
    req = build_confirm_request(session, client, "CancelFulfillmentOrder", ["A"], calls=1)
    assert req.account is ACCOUNT
    assert req.expected_seconds == 0
    other = build_confirm_request(
        Session(clock=clock, governor=Governor(clock)), client, "CancelReportRequests", ["A"]
    )
    assert other.account.host == "mws.test" and other.account.seller == "A1SELLER"
    assert "hourly quota" in other.throttle_cost
