"""Where downloads go, what they are called, who may read them, and the report of a
``_DONE_`` request listed without its GeneratedReportId."""

from __future__ import annotations

import stat
from pathlib import Path

import platformdirs
import pytest
from textual.widgets import Button, Input

from mwstui.settings import locations
from mwstui.settings.config_file import load_settings, parse_settings, save_settings
from mwstui.ui.reports.download_modal import DownloadModal, default_path
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.text.csv_export import write_csv
from tests.ui.harness import SIZE, Harness, make_app, settle, until


def test_xml_report_types_are_saved_as_xml(tmp_path: Path) -> None:
    xml = default_path(str(tmp_path), "_GET_XML_BROWSE_TREE_DATA_", "27443859927010661")
    flat = default_path("~", "_GET_AFN_INVENTORY_DATA_", "1")
    assert xml == tmp_path / "GET_XML_BROWSE_TREE_DATA-27443859927010661.xml"
    assert default_path(".", "_GET_ORDERS_DATA_", "2").suffix == ".xml"
    assert flat == Path.home() / "GET_AFN_INVENTORY_DATA-1.txt"
    assert default_path("rel", "_GET_AFN_INVENTORY_DATA_", "3").is_absolute()


def test_the_downloads_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(locations.ENV_DOWNLOAD_DIR, raising=False)
    assert locations.downloads_dir() == platformdirs.user_downloads_path() / "mwstui"
    assert locations.downloads_dir("~/reports") == Path.home() / "reports"
    monkeypatch.setenv(locations.ENV_DOWNLOAD_DIR, str(tmp_path))
    assert locations.downloads_dir("~/reports") == tmp_path


def test_download_dir_is_a_setting(tmp_path: Path) -> None:
    settings = parse_settings({"download_dir": "~/amazon"})
    assert settings.download_dir == "~/amazon"
    path = save_settings(settings, tmp_path / "config.toml")
    assert 'download_dir = "~/amazon"' in path.read_text("utf-8")
    assert load_settings(path).download_dir == "~/amazon"
    assert parse_settings({}).download_dir is None


def test_csv_exports_are_private_like_reports(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.csv"
    write_csv(fresh, ["id"], [["1"]])
    old = tmp_path / "old.csv"
    old.write_text("x")
    old.chmod(0o644)
    write_csv(old, ["id"], [["1"]])
    for path in (fresh, old):
        assert stat.S_IMODE(path.stat().st_mode) == locations.SAVED_FILE_MODE == 0o600


async def test_a_done_request_without_its_report_id_downloads_through_get_report_list(
    harness: Harness, tmp_path: Path
) -> None:
    assert harness.session.mws is not None
    ops: list[str] = []
    harness.session.mws.add_observer(lambda record: ops.append(record.operation))
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        rid = next(
            k for k, i in panel.jobs.items() if str(i.status) == "_DONE_" and not i.document_id
        )
        expected = harness.sandbox.seller().reports.requests[rid].report_id
        panel.main_table().move_to_key(rid)
        await pilot.press("d")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DownloadModal)
        await until(pilot, lambda: not modal.query_one("#dl-go", Button).disabled)
        assert modal.report_id == expected
        assert "GetReportList" in ops
        target = tmp_path / "saved"
        target.mkdir()
        modal.query_one("#dl-path", Input).value = str(target)
        await pilot.click("#dl-go")
        await until(pilot, lambda: modal.saved is not None)
        assert modal.saved is not None and modal.saved.verified
        saved_to = modal.saved.path
        assert saved_to.parent == target and saved_to.stem.endswith(f"-{expected}")
        assert str(saved_to) in str(modal.query_one("#dl-status").render())
        assert stat.S_IMODE(saved_to.stat().st_mode) == 0o600
        await pilot.press("escape")
        await settle(pilot)
        assert panel.downloads[rid].path == saved_to
