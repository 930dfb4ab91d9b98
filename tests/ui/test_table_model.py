"""TableModel: the incremental order, filter and backspace trail agree with a plain re-sort."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from mwstui.ui.widgets.table_columns import Column, TableRow
from mwstui.ui.widgets.table_model import TableModel, sort_key

COLUMNS = [
    Column("id", "Id"),
    Column("name", "Name"),
    Column("n", "N"),
    Column("at", "At"),
    Column("mix", "Mix"),
]
NAMES = ["apple", "apricot", "banana", "cherry", "=cmd", "", "Äpfel"]
BASE = datetime(2026, 12, 1, tzinfo=UTC)


def reference(rows: dict[str, tuple[TableRow, int]], model: TableModel) -> list[str]:
    """What the model must show: every row filtered, then sorted from scratch."""
    needle = model.needle
    kept = [
        (row, seq)
        for row, seq in rows.values()
        if not needle
        or needle
        in "\n".join(s.export(v) for s, v in zip(COLUMNS, row.values, strict=True)).casefold()
    ]
    if model.sort_by is None:
        return [r.key for r, _ in sorted(kept, key=lambda t: t[1])]
    i = [c.key for c in COLUMNS].index(model.sort_by)
    present = [
        (sort_key(r.values[i])[1:], seq, r.key) for r, seq in kept if not sort_key(r.values[i])[0]
    ]
    absent = [(seq, r.key) for r, seq in kept if sort_key(r.values[i])[0]]
    present.sort(reverse=model.sort_reverse)
    absent.sort()
    return [k for *_, k in present] + [k for _, k in absent]


def random_row(rng: random.Random, key: str) -> TableRow:
    n: Any = rng.choice([None, rng.randint(0, 20)])
    at: Any = rng.choice([None, BASE + timedelta(minutes=rng.randint(0, 50))])
    # Every kind in one column: numbers and times compare by value, then text, then absent.
    mix: Any = rng.choice(
        [None, "", rng.randint(0, 5), rng.random() * 5, True, rng.choice(NAMES), at, BASE]
    )
    return TableRow(key, (key, rng.choice(NAMES), n, at, mix))


def test_random_pages_filters_sorts_and_backspaces_match_a_full_resort() -> None:
    rng = random.Random(14)
    for _round in range(30):
        model = TableModel(COLUMNS, sort_by=rng.choice([None, "n", "name", "at", "mix"]))
        rows: dict[str, tuple[TableRow, int]] = {}
        seq = 0
        typed = ""
        for _step in range(60):
            op = rng.random()
            if op < 0.35:  # a page: new rows and changed ones
                page = [
                    random_row(rng, f"k{rng.randint(0, 80):03d}") for _ in range(rng.randint(1, 12))
                ]
                if rng.random() < 0.1:
                    page *= 30  # a big page: the bulk path
                model.upsert(page)
                for row in page:
                    old = rows.get(row.key)
                    rows[row.key] = (row, old[1] if old else seq)
                    seq += 0 if old else 1
            elif op < 0.45:  # a whole new list: some rows go
                keep = [r for r, _ in rows.values() if rng.random() < 0.7]
                model.replace(keep)
                rows = {r.key: rows[r.key] for r in keep}
            elif op < 0.8:  # a key typed, or a backspace
                if typed and rng.random() < 0.45:
                    typed = typed[:-1]
                else:
                    typed += rng.choice("ape1k0n")
                model.set_filter(typed)
            else:
                model.set_sort(
                    rng.choice([None, "n", "name", "at", "id", "mix"]), rng.random() < 0.5
                )
            want = reference(rows, model)
            assert model.shown_keys() == want
            assert model.row_count == len(want)
            for i in rng.sample(range(len(want)), min(3, len(want))):
                assert model.key_at(i) == want[i]
                assert model.position(want[i]) == i
            hidden = set(rows) - set(want)
            for key in list(hidden)[:3]:
                assert model.position(key) is None


def test_a_backspace_takes_back_rows_that_arrived_while_the_filter_was_longer() -> None:
    model = TableModel(COLUMNS, sort_by="id")
    model.upsert([TableRow("a", ("a", "apple", 1, None)), TableRow("b", ("b", "banana", 2, None))])
    model.set_filter("ap")
    model.set_filter("app")
    model.upsert(
        [TableRow("c", ("c", "apricot", 3, None)), TableRow("d", ("d", "apple pie", 4, None))]
    )
    assert model.shown_keys() == ["a", "d"]
    model.set_filter("ap")  # from the trail, with the rows that came meanwhile
    assert model.shown_keys() == ["a", "c", "d"]
    model.set_filter("")
    assert model.shown_keys() == ["a", "b", "c", "d"]


def test_reversing_the_sort_keeps_absent_values_last() -> None:
    model = TableModel(COLUMNS, sort_by="n")
    model.upsert(
        [
            TableRow("a", ("a", "x", 2, None)),
            TableRow("b", ("b", "x", None, None)),
            TableRow("c", ("c", "x", 10, None)),
            TableRow("d", ("d", "x", None, None)),
        ]
    )
    assert model.shown_keys() == ["a", "c", "b", "d"]
    model.set_sort("n", True)
    assert model.shown_keys() == ["c", "a", "b", "d"]
    assert [model.position(k) for k in "abcd"] == [1, 2, 0, 3]
    assert model.keys_between(1, 3) == ["a", "b"]


def test_sort_key_orders_numbers_and_times_then_text_then_absent() -> None:
    values: list[Any] = ["b", None, 3, "A", 2.5, BASE, "", True, "a", BASE - timedelta(days=1)]
    values += [3, "B"]
    ordered = sorted(range(len(values)), key=lambda i: (sort_key(values[i]), i))
    assert [values[i] for i in ordered] == [
        True, 2.5, 3, 3, BASE - timedelta(days=1), BASE, "A", "a", "b", "B", None, ""
    ]  # fmt: skip
    assert sort_key(BASE) == (0, 0, BASE.timestamp())  # flat: (absent, kind, value)
    assert sort_key("Äb") == (0, 1, "äb")
    assert sort_key(None) == sort_key("") == (1, 0, 0)


def rows_(*numbers: int) -> list[str]:
    return [f"r{i:02d}" for i in numbers]


def test_a_new_sort_column_is_stable_and_a_descending_sort_reads_it_from_the_end() -> None:
    model = TableModel(COLUMNS)
    values: list[Any] = ["b", None, 3, "A", BASE, "", 3, "a", 1.5, None]
    model.upsert(
        [TableRow(f"r{i:02d}", (f"r{i:02d}", "x", 0, None, v)) for i, v in enumerate(values)]
    )
    model.set_sort("mix", False)
    # Equal values keep their arrival order (r02 before r06; "A" and "a" casefold alike).
    assert model.shown_keys() == rows_(8, 2, 6, 4, 3, 7, 0, 1, 5, 9)
    model.set_sort("mix", True)
    assert model.shown_keys() == rows_(0, 7, 3, 4, 6, 2, 8, 1, 5, 9)
    assert [model.position(k) for k in ("r00", "r08", "r09")] == [0, 6, 9]
    model.upsert([TableRow("r10", ("r10", "x", 0, None, 3))])  # bisected among the threes
    assert model.shown_keys()[4:7] == rows_(10, 6, 2)
