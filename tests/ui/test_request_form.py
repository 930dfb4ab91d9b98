"""Request-a-report form: which marketplaces are ticked shows in text, at 80×24 too."""

from __future__ import annotations

from pathlib import Path

from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.reports.request_report_modal import RequestReportModal
from mwstui.ui.widgets.tick_list import TickList
from tests.ui.harness import make_app, sandbox_session, screen_text, settle


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
