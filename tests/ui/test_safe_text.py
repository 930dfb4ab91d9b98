"""Untrusted text is shown literally: no markup, no control characters."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text

from mwstui.ui.text.safe_text import MISSING, cell, clean, format_datetime, literal, plain


def test_clean_strips_terminal_controls_and_bidi_overrides() -> None:
    nasty = "ok\x1b[2J\x07\x9b31m\u202eevil\u2066x\u2069\x7f"
    assert clean(nasty) == "ok[2J31mevilx"


def test_clean_single_line_turns_breaks_into_spaces() -> None:
    assert clean("a\r\nb\tc\nd\u2028e") == "a b c d e"


def test_clean_multiline_keeps_lines_and_expands_tabs() -> None:
    assert clean("a\r\nb\tc\rd", multiline=True) == "a\nb   c\nd"


def test_clean_none_is_empty() -> None:
    assert clean(None) == ""


def test_literal_keeps_markup_as_text() -> None:
    text = literal("[@click=app.quit]x[/] [b]y[/b] :smile:")
    assert isinstance(text, Text)
    assert text.plain == "[@click=app.quit]x[/] [b]y[/b] :smile:"
    assert not text.spans


def test_cell_renders_absent_bool_and_datetime() -> None:
    assert cell(None).plain == MISSING
    assert cell("").plain == MISSING
    assert cell(True).plain == "yes"
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert cell(when).plain == "2026-01-02 03:04:05"
    assert cell("[red]x[/red]").plain == "[red]x[/red]"


def test_format_datetime_converts_to_utc() -> None:
    from datetime import timedelta, timezone

    local = datetime(2026, 1, 2, 5, 0, tzinfo=timezone(timedelta(hours=2)))
    assert format_datetime(local) == "2026-01-02 03:00:00"
    assert format_datetime(None) == ""


def test_plain_for_export() -> None:
    assert plain(Text(MISSING)) == ""
    assert plain("a\nb") == "a b"
    assert plain(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01 00:00:00"
