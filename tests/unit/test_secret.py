"""The Secret type masks itself everywhere a value could leak."""

from __future__ import annotations

import copy
import pickle
import traceback

import pytest

from mwstui.secret import Secret


def test_secret_never_formats_its_value() -> None:
    s = Secret("hunter2-very-secret")
    for shown in (
        repr(s),
        str(s),
        f"{s}",
        f"{s!r}",
        f"{s:>30}",
        "%s" % s,  # noqa: UP031
        str([s]),
        str({"k": s}),
    ):
        assert "hunter2" not in shown


def test_secret_reveal_and_equality() -> None:
    assert Secret("a").reveal() == "a"
    assert Secret("a") == Secret("a") and Secret("a") != Secret("b")
    assert Secret(Secret("x")).reveal() == "x"
    assert not Secret("") and Secret("x")


def test_secret_cannot_be_pickled_and_copies_are_itself() -> None:
    s = Secret("p")
    with pytest.raises(TypeError):
        pickle.dumps(s)
    assert copy.deepcopy(s) is s


def test_secret_stays_out_of_tracebacks_with_locals() -> None:
    def fail(key: Secret) -> None:
        raise RuntimeError(f"boom {key}")

    try:  # built at run time so no source line or str local holds the value
        fail(Secret("-".join(("leaky", "value"))))
    except RuntimeError as exc:
        text = "".join(
            traceback.TracebackException.from_exception(exc, capture_locals=True).format()
        )
    assert "leaky-value" not in text
