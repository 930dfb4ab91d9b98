"""Hostile server text in every screen: shown literally, never acted on, never breaking out.

The app runs on ``tests.hostile.hostile_seed()`` (markup, links, ANSI and OSC escapes,
control characters, RTL overrides, emoji, CJK, 10,000-character strings in every field a
screen shows), plus a report request, a report and a schedule whose report types are
hostile. For each panel and dialog the tests check:

- literal: the markup appears as text on screen (``screen_text`` / the SVG export);
- inert: no drawn segment carries a link, an ``@click`` action or blink (what Rich makes
  of ``[link=…]``, ``[@click=…]``, ``[blink]``), the bytes a terminal would receive hold
  no OSC (title, clipboard, hyperlink), BEL, C1 or raw hostile CSI sequence, and clicking
  or hovering over the text runs no action;
- layout: header on top, tabs under it, table in between, budget and footer at the bottom.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer, Select, Static, Tabs, TextArea
from textual.widgets._toast import Toast
from textual.widgets.data_table import ColumnKey

from mwstui.sandbox.mws.reports_state import Report, ReportRequest, Schedule
from mwstui.ui.activity.activity_panel import ActivityPanel
from mwstui.ui.activity.inspector_modal import InspectorModal
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.dialogs.help_screen import HelpScreen
from mwstui.ui.fulfillment.fulfillment_detail import FulfillmentDetailModal
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.orders.sellercenter_cancel import SellerCenterCancelModal
from mwstui.ui.orders.sellercenter_items import SellerCenterItemsModal
from mwstui.ui.orders.sellercenter_panel import SellerCenterPanel
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.schedules.schedules_panel import SchedulesPanel
from mwstui.ui.text.safe_text import clean
from mwstui.ui.widgets.budget_panel import BudgetPanel
from mwstui.ui.widgets.header import AccountHeader
from mwstui.ui.widgets.resource_table import MAX_WIDTH, ResourceTable
from tests.hostile import (
    ANSI,
    CLICK_QUIT,
    HOSTILE_IDS,
    HOSTILE_STATUS,
    LINK,
    LONG_MARKUP,
    MARKUP,
    OVERLONG_ID,
    SELLERCENTER_ITEM_BASE,
    SELLERCENTER_ORDER_BASE,
    hostile_seed,
)
from tests.ui.harness import SIZE, Harness, make_app, sandbox_session, screen_text, settle

HOSTILE_REQUEST = "61799918424"
HOSTILE_REPORT = "39999999999918424"
LONG_REPORT = "39999999999918425"

# What a terminal would act on: OSC (title, clipboard, hyperlinks), BEL, C1 controls, the
# raw sequences of the seed, NUL/BS/DEL, and the bidi override.
FORBIDDEN_OUTPUT = (
    "\x1b]",
    "\x07",
    "\x1b[2J",
    "\x1b[H",
    "\x1b[5m",
    "\x1b[31mred",
    "\x00",
    "\x08",
    "\x7f",
    "\u202e",
)
SCROLLBAR = {("@mouse.down", "grab"), ("@mouse.down", "scroll_up"), ("@mouse.down", "scroll_down")}
"""The only actions Textual itself puts in what it draws (scrollbar parts)."""
_C1 = re.compile("[\x80-\x9f]")
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def hostile_harness(tmp_path: Path) -> Harness:
    """The hostile seed, plus hostile report types where the seed could not put them
    (the sandbox only seeds catalog report types; a real service may send anything)."""
    h = sandbox_session(tmp_path, seed=hostile_seed())
    state = h.sandbox.seller().reports
    now = h.clock.time()
    state.requests[HOSTILE_REQUEST] = ReportRequest(
        HOSTILE_REQUEST, LINK, now - 60, now - 60, now - 60, False, now + 3600, now + 7200,
        "_DONE_", None, 0,
    )  # fmt: skip
    state.reports[HOSTILE_REPORT] = Report(HOSTILE_REPORT, CLICK_QUIT, None, now - 120, 3)
    state.reports[LONG_REPORT] = Report(LONG_REPORT, ANSI + LONG_MARKUP, None, now - 130, 3)
    state.schedules[MARKUP] = Schedule(MARKUP, "_1_DAY_", now + 3600)
    return h


@pytest.fixture
def hh(tmp_path: Path) -> Harness:
    return hostile_harness(tmp_path)


# -- what is on screen -------------------------------------------------------------------------


def _update(app: App[Any]) -> Any:
    return app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


def segments(app: App[Any]) -> list[Segment]:
    """Every segment drawn on the screen now."""
    return [seg for line in _update(app).strips for strip in line for seg in strip]


def terminal_output(app: App[Any]) -> str:
    """The bytes a real terminal would receive to draw the screen now."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    return str(_update(app).render_segments(console))


def interpreted(app: App[Any]) -> list[str]:
    """Text drawn with a link, an action or blink: what markup would have become."""
    found = []
    for seg in segments(app):
        style = seg.style
        if style is None:
            continue
        meta = style.meta if style._meta else {}
        actions = {(k, str(v)) for k, v in meta.items() if k.startswith("@")} - SCROLLBAR
        if style.link or style.blink or actions:
            found.append(seg.text)
    return found


def assert_inert(app: App[Any]) -> None:
    """Nothing on screen is markup made live, and nothing reaches the terminal raw."""
    assert interpreted(app) == []
    out = terminal_output(app)
    for seq in FORBIDDEN_OUTPUT:
        assert seq not in out, repr(seq)
    assert not _C1.search(out)
    text = screen_text(app)
    assert not _CONTROL.search(text), repr(_CONTROL.findall(text))
    svg = app.export_screenshot()
    assert "\x1b" not in svg and "\x07" not in svg and not _C1.search(svg)
    assert app.clipboard == ""  # no OSC 52 reached the clipboard


def assert_layout(app: App[Any]) -> None:
    """The frame is where it belongs whatever the data: header, tabs, table, budget, footer."""
    width, height = app.size
    header = app.query_one(AccountHeader)
    tabs = app.query_one(Tabs)
    footer = app.screen_stack[0].query_one(Footer)
    budget = app.query_one(BudgetPanel)
    assert header.region.y == 0 and 1 <= header.region.height <= 3
    assert tabs.region.y == header.region.bottom
    assert footer.region == footer.region.intersection(app.screen_stack[0].region)
    assert footer.region.y == height - 1
    assert budget.region.bottom == footer.region.y
    panel = app.active_panel  # type: ignore[attr-defined]
    table = panel.main_table()
    assert table is not None and table.display
    assert tabs.region.bottom < table.region.y < budget.region.y
    assert table.region.right <= width and table.region.height >= 5
    lines = screen_text(app).splitlines()
    assert len(lines) == height
    assert (
        "1 Reports  2 Schedules  3 Fulfillment  4 SellerCenter  5 Activity" in lines[tabs.region.y]
    )
    if app.screen is app.screen_stack[0]:
        assert "r Refresh" in lines[-1] and "^p palette" in lines[-1]


def assert_shown(app: App[Any], *texts: str) -> None:
    """Each text appears, as written, on one line of the screen."""
    screen = screen_text(app)
    for text in texts:
        assert text in screen, text


def assert_in_svg(app: App[Any], text: str) -> None:
    """The SVG export carries ``text`` literally (HTML-escaped, as SVG text must be)."""
    from html import escape

    svg = app.export_screenshot().replace("&#160;", " ")
    assert escape(text, quote=False) in svg or escape(text) in svg, text


# -- acting on it -------------------------------------------------------------------------------


class Actions:
    """Every action the app runs and every URL it opens, while watched."""

    def __init__(self, app: App[Any], monkeypatch: pytest.MonkeyPatch) -> None:
        self.run: list[str] = []
        self.urls: list[str] = []
        original = app.run_action

        async def run_action(action: Any, *args: Any, **kw: Any) -> bool:
            self.run.append(str(action))
            return await original(action, *args, **kw)

        monkeypatch.setattr(app, "run_action", run_action)
        monkeypatch.setattr(app, "open_url", lambda url, **kw: self.urls.append(url))


async def poke(pilot: Pilot[None], widget: Any, points: list[tuple[int, int]]) -> None:
    """Hover over, then click, each point of ``widget`` (offsets in its region)."""
    for x, y in points:
        await pilot.hover(widget, offset=(x, y))
        await pilot.pause()
        await pilot.click(widget, offset=(x, y))
        await pilot.pause()


def assert_alive(app: App[Any], actions: Actions) -> None:
    assert app.is_running and app.return_code is None
    assert not [a for a in actions.run if "quit" in a or "bell" in a]
    assert actions.urls == []


async def until(pilot: Pilot[None], cond: Callable[[], object], rounds: int = 400) -> None:
    for _ in range(rounds):
        if cond():
            return
        await pilot.pause()
    raise AssertionError("condition not reached")


async def show_tab(pilot: Pilot[None], index: int) -> Any:
    app = pilot.app
    app.action_show_tab(index)  # type: ignore[attr-defined]
    panel = app.panels[index]  # type: ignore[attr-defined]
    await until(
        pilot,
        lambda: (
            app.active_panel is panel  # type: ignore[attr-defined]
            and panel.loaded_at is not None
            and not panel.is_loading()
        ),
    )
    await settle(pilot)
    return panel


# -- the detector itself ----------------------------------------------------------------------


class _Naive(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(Text.from_markup(CLICK_QUIT + " " + LINK))  # what a str would become
        yield Static(Text(CLICK_QUIT))


async def test_the_checks_catch_markup_that_was_interpreted() -> None:
    app = _Naive()
    async with app.run_test(size=(60, 4)):
        assert "Thanks!" in interpreted(app) and "click me" in interpreted(app)
        assert CLICK_QUIT in screen_text(app).splitlines()[1]  # the Text one: literal


# -- panels -------------------------------------------------------------------------------------


async def test_reports_both_views(hh: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(hh.session)
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        panel = await show_tab(pilot, 0)
        assert isinstance(panel, ReportsPanel)
        # In the Type column, which gives the ids their width first: cut, literal.
        assert_shown(app, "[link=https://evil.")
        assert_inert(app)
        assert_layout(app)
        await pilot.press("v")
        await until(pilot, lambda: panel.report_list.reports and not panel.is_loading())
        await settle(pilot)
        assert_shown(app, CLICK_QUIT, "[31mred", "[2J")
        assert_in_svg(app, CLICK_QUIT)
        # The 10,000-character type stops at its column; the others stay in sight.
        assert len(panel.report_list.reports[LONG_REPORT].report_type) > 9000
        assert_shown(app, "Request id   Available ▼  Ack  Acknowledged")
        assert_inert(app)
        assert_layout(app)
        actions = Actions(app, monkeypatch)
        await poke(pilot, panel.main_table(), [(24, 2), (40, 3), (24, 1)])
        assert_alive(app, actions)


async def test_schedules(hh: Harness) -> None:
    app = make_app(hh.session)
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        panel = await show_tab(pilot, 1)
        assert isinstance(panel, SchedulesPanel) and MARKUP in panel.schedules
        assert_shown(app, "[b]bold[/b] [red on white]red[/]")
        assert_inert(app)
        assert_layout(app)


async def test_fulfillment_list_click_hover_and_copy(
    hh: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(hh.session)
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        panel = await show_tab(pilot, 2)
        assert isinstance(panel, FulfillmentPanel)
        assert set(panel.orders) == {*HOSTILE_IDS, OVERLONG_ID}
        assert_shown(app, HOSTILE_IDS[0], HOSTILE_IDS[1], HOSTILE_IDS[4], "ORD-3-RTL")
        assert_shown(app, "[@click=app.quit]LLLL")  # the 77-character id, cut with an ellipsis
        for text in (HOSTILE_IDS[0], HOSTILE_IDS[1]):
            assert_in_svg(app, text)
        assert_inert(app)
        assert_layout(app)
        actions = Actions(app, monkeypatch)
        table = panel.main_table()
        # One click per row, never on the cursor's (a click there opens the detail), over
        # the ids and the hostile displayed ids.
        await poke(pilot, table, [(8 if y % 2 else 90, y) for y in range(2, 7)])
        assert_alive(app, actions)
        assert app.screen is app.screen_stack[0]
        assert_inert(app)
        # Copying an id copies the id as data (base64 in OSC 52), shown literally.
        assert table.move_to_key(HOSTILE_IDS[0])
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == HOSTILE_IDS[0]
        assert any(HOSTILE_IDS[0] in str(n.message) for n in app._notifications)
        assert interpreted(app) == []


def test_fulfillment_snapshot(tmp_path: Path, snap_compare: Callable[..., bool]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        panel = await show_tab(pilot, 2)
        # The table takes the keyboard a refresh after its rows (the footer shows its keys):
        # under load that can come after the fixed settle, so wait for it.
        await until(pilot, lambda: pilot.app.focused is panel.main_table())
        await settle(pilot)

    app = make_app(hostile_harness(tmp_path).session)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_fulfillment_detail(hh: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(hh.session)
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        panel = await show_tab(pilot, 2)
        # The order whose comment is 10,000 characters of [@click=app.quit]X[/].
        assert panel.main_table().move_to_key(HOSTILE_IDS[4])
        await pilot.press("d")
        modal = app.screen
        assert isinstance(modal, FulfillmentDetailModal)
        await until(pilot, lambda: modal.detail is not None)
        await settle(pilot)
        assert modal.detail is not None
        assert modal.detail.order.comment == LONG_MARKUP.strip()
        assert_shown(app, f"Order {HOSTILE_IDS[4]}", "Comment [@click=app.quit]X[/]")
        assert_inert(app)
        footer = modal.query_one(Footer)
        assert footer.region.y == SIZE[1] - 1 and "esc Back" in screen_text(app).splitlines()[-1]
        actions = Actions(app, monkeypatch)
        summary = modal.query_one("#fd-summary")
        await poke(pilot, summary, [(x, y) for y in range(0, 6) for x in (10, 40, 70)])
        assert_alive(app, actions)
        assert app.screen is modal
        await pilot.press("escape")


async def test_a_hostile_error_message_is_shown_literally(hh: Harness) -> None:
    app = make_app(hh.session)
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        panel = await show_tab(pilot, 2)
        # Gone from the service since the list was read: its answer quotes the id.
        del hh.sandbox.seller().fulfillment.orders[HOSTILE_IDS[1]]
        assert panel.main_table().move_to_key(HOSTILE_IDS[1])
        await pilot.press("d")
        await until(pilot, lambda: app._notifications)
        await settle(pilot)
        (note,) = list(app._notifications)
        assert f"Requested order '{HOSTILE_IDS[1]}' not found" in note.message
        toast = app.screen.query_one(Toast)
        assert "[link=https://e.example]ORD-2" in str(toast.render())
        assert_shown(app, "GetFulfillmentOrder failed")
        assert_inert(app)


async def test_sellercenter_list_and_items(hh: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(hh.session)
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        panel = await show_tab(pilot, 3)
        assert isinstance(panel, SellerCenterPanel)
        assert_shown(
            app,
            CLICK_QUIT,
            LINK,
            "[b]bold[/b] [red on white]red[/] [reverse]rev",
            "[31mred[0m [2J[H[5mblink[0m",
            "]0;pwned title ]52;c;ZXZpbA==",
            "marketplace [@click=app.quit]Thanks![/]",  # the header restates it, inert
        )
        # The 10,000-character order numbers stop at their column: the rest stays in sight.
        lines = screen_text(app).splitlines()
        head = next(line for line in lines if "Number" in line)
        assert "Item statuses" in head
        number = panel.main_table().columns[ColumnKey("number")]
        assert number.get_render_width(panel.main_table()) <= MAX_WIDTH + 2
        assert_inert(app)
        assert_layout(app)
        actions = Actions(app, monkeypatch)
        await poke(pilot, panel.main_table(), [(15 if y % 2 else 50, y) for y in range(2, 8)])
        assert_alive(app, actions)
        assert app.screen is app.screen_stack[0]
        assert panel.main_table().move_to_key(str(SELLERCENTER_ORDER_BASE))
        await pilot.press("d")
        items = app.screen
        assert isinstance(items, SellerCenterItemsModal)
        await until(pilot, lambda: items.items)
        await settle(pilot)
        assert_shown(app, f"Order {SELLERCENTER_ORDER_BASE} · {CLICK_QUIT} · {LINK}")
        assert_shown(app, clean(HOSTILE_STATUS))
        assert_inert(app)
        assert items.query_one(Footer).region.y == SIZE[1] - 1
        await poke(pilot, items.query_one(ResourceTable), [(20, 2), (40, 2), (60, 1)])
        assert_alive(app, actions)


async def test_confirmation_dialog_restates_hostile_items_literally(hh: Harness) -> None:
    calls: list[str] = []
    assert hh.session.sellercenter is not None
    hh.session.sellercenter.add_observer(lambda r: calls.append(r.operation))
    app = make_app(hh.session)
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        panel = await show_tab(pilot, 3)
        assert panel.main_table().move_to_key(str(SELLERCENTER_ORDER_BASE))
        await pilot.press("d")
        items = app.screen
        assert isinstance(items, SellerCenterItemsModal)
        await until(pilot, lambda: items.items)
        items.query_one(ResourceTable).set_marks(list(items.items))
        await pilot.press("c")
        reason = app.screen
        assert isinstance(reason, SellerCenterCancelModal)
        await until(pilot, lambda: reason.reasons)
        await settle(pilot)
        assert_inert(app)
        reason.query_one("#scc-reason", Select).value = CLICK_QUIT
        await settle(pilot)
        assert_shown(app, CLICK_QUIT)  # the picked reason, literal in the select
        assert_inert(app)
        await pilot.click("#scc-continue")
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal)
        await settle(pilot)
        assert_shown(
            app,
            f"{SELLERCENTER_ITEM_BASE} · {CLICK_QUIT} ([link=",
            clean(HOSTILE_STATUS),  # why the other item is skipped
            f"Reason: {CLICK_QUIT}",
            "Marketplace [@click=app.quit]Thanks![/]",
        )
        assert_inert(app)
        await pilot.press("escape")
        await settle(pilot)
    assert "SetStatusToCanceled" not in calls


async def test_activity_and_inspector(hh: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(hh.session)
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await show_tab(pilot, 2)
        await show_tab(pilot, 3)
        panel = await show_tab(pilot, 4)
        assert isinstance(panel, ActivityPanel)
        assert_inert(app)
        assert_layout(app)
        seq = next(s for s, r in app.activity.records() if r.operation == "GetOrders")
        assert panel.main_table().move_to_key(str(seq))
        await pilot.press("enter")
        inspector = app.screen
        assert isinstance(inspector, InspectorModal)
        await settle(pilot)
        body = inspector.query_one("#inspector-body", TextArea)
        assert "[@click=app.quit]Thanks![/]" in body.text
        assert not _CONTROL.search(body.text)
        body.focus()
        await pilot.pause()
        needle = body.text.index("[@click=app.quit]Thanks![/]")
        body.move_cursor(body.document.get_location_from_index(needle))  # type: ignore[attr-defined]
        body.scroll_cursor_visible(center=True)
        await settle(pilot)
        assert_shown(app, "[@click=app.quit]Thanks![/]")
        assert_inert(app)
        actions = Actions(app, monkeypatch)
        await poke(pilot, body, [(x, y) for y in range(0, 6) for x in (5, 30, 60)])
        assert_alive(app, actions)
        await pilot.press("escape")


async def test_help_over_hostile_data(hh: Harness) -> None:
    app = make_app(hh.session)
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await show_tab(pilot, 3)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert_shown(app, "mwstui — keys", "Everywhere")
        assert_inert(app)
        dialog = app.screen.query_one("#help-dialog")
        assert dialog.region == dialog.region.intersection(app.screen.region)
        await pilot.press("escape")
        await settle(pilot)
        assert_layout(app)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_layout_holds_at_other_sizes(hh: Harness, size: tuple[int, int]) -> None:
    app = make_app(hh.session)
    async with app.run_test(size=size, notifications=True, tooltips=True) as pilot:
        for index in range(5):
            await show_tab(pilot, index)
            assert_layout(app)
            assert interpreted(app) == []
