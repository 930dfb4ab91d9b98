"""The five outcomes: labels, tones, and a summary that never counts 'not confirmed' as done."""

from mwstui.backend.outcomes import ItemResult, Outcome, records_read, summarize


def test_summary_keeps_not_confirmed_apart_from_done() -> None:
    line = summarize([Outcome.DONE, Outcome.NOT_CONFIRMED, Outcome.NOT_CONFIRMED])
    assert line == "Done: 1 done, 2 requested, not confirmed"


def test_summary_lists_every_kind_in_order_and_says_stopped() -> None:
    line = summarize(list(Outcome), stopped=True)
    assert line == ("Stopped: 1 done, 1 requested, not confirmed, 1 failed, 1 unknown, 1 not sent")


def test_summary_with_nothing_done_still_says_zero_done() -> None:
    assert summarize([Outcome.FAILED]) == "Done: 0 done, 1 failed"


def test_only_not_sent_counts_as_unsent_and_tones_are_the_ui_vocabulary() -> None:
    assert [o for o in Outcome if not o.sent] == [Outcome.NOT_SENT]
    assert {o.tone for o in Outcome} == {"success", "warning", "error", "muted"}
    assert Outcome("not confirmed") is Outcome.NOT_CONFIRMED
    assert ItemResult(Outcome.FAILED, "refused", code="InvalidParameterValue").code


def test_records_read_keeps_the_records_and_says_when_only_a_list_shows_the_rest() -> None:
    read = ItemResult(Outcome.DONE, "now CANCELLED", read="job-a")
    not_sent = ItemResult(Outcome.NOT_SENT, "stopped")
    assert records_read({"a": read, "b": not_sent}, str) == ({"a": "job-a"}, False)
    # Sent, and nothing read it (answer lost, read-back failed): the list must be read.
    lost = ItemResult(Outcome.UNKNOWN, "answer lost; read-back failed")
    assert records_read({"a": read, "c": lost}, str) == ({"a": "job-a"}, True)
    # A read of another kind of record is not one the panel can show.
    assert records_read({"a": read}, int) == ({}, True)
