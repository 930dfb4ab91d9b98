"""Amazon's published static-sandbox pairs (spec §7), answered before the simulation.

The Reports API sandbox at Amazon is static only: it matches a request's parameters
against the model's examples and returns the canned answer. Those requests use ids
and types no seeded seller has (``ID323``, ``badReportId1``, ``BAD_FEE_DISCOUNTS_REPORT``),
so answering them first changes nothing else. The pairs live in ``static_pairs.json``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from mwstui.sandbox.spapi.call import SpCall, SpResult
from mwstui.sandbox.spapi.errors import SpapiError


@cache
def _pairs() -> list[dict[str, Any]]:
    text = resources.files(__package__).joinpath("static_pairs.json").read_text("utf-8")
    return list(json.loads(text)["pairs"])


def published(call: SpCall) -> SpResult | None:
    """The canned answer for ``call``, or None when no pair matches.

    Raises:
        SpapiError: a published error answer (400 with code ``"400"``).
    """
    for pair in _pairs():
        if pair["operation"] != call.operation.name or not _matches(pair, call):
            continue
        response = pair["response"]
        if pair["status"] >= 400:
            err = response["errors"][0]
            raise SpapiError(pair["status"], err["code"], err["message"], err.get("details"))
        return SpResult(int(pair["status"]), response)
    return None


def _matches(pair: dict[str, Any], call: SpCall) -> bool:
    for name, value in pair.get("path", {}).items():
        if call.path.get(name) != value:
            return False
    for name, values in pair.get("query", {}).items():
        sent = call.query.get(name)
        if sent is None or [v.strip() for v in sent.split(",")] != values:
            return False
    body = pair.get("body")
    if body is not None:
        try:
            data = json.loads(call.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return False
        if not isinstance(data, dict) or any(data.get(k) != v for k, v in body.items()):
            return False
    return True
