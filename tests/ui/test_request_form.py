"""Request-a-report form: which marketplaces are ticked shows in text, at 80×24 too; report
options typed as key=value;key=value reach the request, and a mistake sends nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from mwstui.ui.reports.report_options import MAX_LENGTH, parse_report_options
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.reports.request_report_modal import RequestReportModal
from mwstui.ui.widgets.tick_list import TickList
from tests.ui.harness import SIZE, make_app, sandbox_session, screen_text, settle


async def test_ticked_and_unticked_marketplaces_differ_in_text_at_80x24(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path)
    app = make_app(h.session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one(ReportsPanel).focus_main()
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RequestReportModal)
        text = screen_text(app)
        assert "▐X▌ US ATVPDKIKX0DER" in text
        assert "▐ ▌ CA A2EUQ1WTGCTBG2" in text and "▐ ▌ MX A1AM78C64UM0Y8" in text
        markets = app.screen.query_one("#rr-markets", TickList)
        markets.select("A2EUQ1WTGCTBG2")
        await pilot.pause()
        assert "▐X▌ CA A2EUQ1WTGCTBG2" in screen_text(app)


@pytest.mark.parametrize(
    ("typed", "options"),
    [
        ("", ()),
        (" ; ", ()),
        ("ShowSalesChannel=true", (("ShowSalesChannel", "true"),)),
        (" ShowSalesChannel = true ; custom=2025-12-01;", (("ShowSalesChannel", "true"),
                                                           ("custom", "2025-12-01"))),
    ],
)  # fmt: skip
def test_report_options_as_typed(typed: str, options: tuple[tuple[str, str], ...]) -> None:
    assert parse_report_options(typed) == options


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ShowSalesChannel", "'ShowSalesChannel' is not key=value (e.g. ShowSalesChannel=true)"),
        ("=true", "'' is not an option name"),
        ("1st=true", "'1st' is not an option name"),
        ("ShowSalesChannel=", "ShowSalesChannel has no value"),
        ("a=1;a=2", "a is given twice"),
        ("a=b=c", "the value of a holds a second '='"),
        ("a=\x1b[31m", "the value of a holds a control character"),
        ("a=" + "x" * MAX_LENGTH, f"at most {MAX_LENGTH} characters"),
    ],
)
def test_report_options_mistakes_are_one_line(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        parse_report_options(typed)
    assert str(caught.value).startswith("ReportOptions: ") and "\n" not in str(caught.value)


async def test_options_typed_in_the_form_reach_the_request(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        requests = h.sandbox.seller().reports.requests
        before = set(requests)
        app.query_one(ReportsPanel).focus_main()
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RequestReportModal)
        form.query_one("#rr-type Input", Input).value = "_GET_FLAT_FILE_ORDERS_DATA_"
        field = form.query_one("#rr-options", Input)
        field.value = "ShowSalesChannel"
        await pilot.click("#rr-go")
        await pilot.pause()
        # A mistake is said under the field in one line; nothing is sent, the text stays.
        error = str(form.query_one("#rr-options-error", Static).render())
        assert error == (
            "ReportOptions: 'ShowSalesChannel' is not key=value (e.g. ShowSalesChannel=true)"
        )
        assert app.screen is form and field.value == "ShowSalesChannel"
        assert set(requests) == before
        field.value = "ShowSalesChannel=true"
        field.focus()
        await pilot.press("enter")  # Enter in the field requests, as in the date fields
        await settle(pilot)
        assert app.screen is not form, str(form.query_one("#rr-error", Static).render())
        (new,) = set(requests) - before
        assert requests[new].options == "ShowSalesChannel=true"
