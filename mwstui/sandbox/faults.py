"""Faults on demand: which failure to inject into which operation, how often.

Grammar (spaces ignored; rules separated by ``,``)::

    SPEC    := RULE ("," RULE)*
    RULE    := TARGET ":" KIND (":" TRIGGER)*
    TARGET  := an operation name (GetReportRequestList, GetOrders, getReports ...) | "*"
    KIND    := throttle | quota | internal | unavailable | malformed | truncate
             | drop-before | drop-after | bad-md5 | latency=SECONDS
    TRIGGER := next=N     the next N matching calls, then the rule is spent
             | p=F        each matching call with probability F (0..1)
             | always     every matching call (the default)

Aliases: ``500`` = internal, ``503`` = unavailable, ``drop`` = drop-before,
``throttled`` = throttle, ``wrong-md5`` = bad-md5, ``truncated`` = truncate.
Example:
``GetReportRequestList:throttle:next=2,CancelFulfillmentOrder:drop-after:p=0.5,*:latency=3``.

For each call, every matching latency rule that fires adds its delay, then the first
other matching rule that fires (in spec order) decides the failure. Probabilities
come from a seeded generator, so a test run is reproducible.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from mwstui.catalog import load_catalog

ERROR_KINDS = ("throttle", "quota", "internal", "unavailable")
"""Kinds answered with an error body instead of calling the service."""
KINDS = (*ERROR_KINDS, "malformed", "truncate", "drop-before", "drop-after", "bad-md5", "latency")
ALIASES = {
    "500": "internal",
    "503": "unavailable",
    "drop": "drop-before",
    "throttled": "throttle",
    "wrong-md5": "bad-md5",
    "truncated": "truncate",
}


@dataclass(slots=True)
class FaultRule:
    """One rule of a plan."""

    target: str
    kind: str
    seconds: float = 0.0
    """Added delay, for ``latency``."""
    remaining: int | None = None
    """Calls left for ``next=N`` (None: unlimited)."""
    probability: float = 1.0

    def spec(self) -> str:
        kind = f"latency={self.seconds:g}" if self.kind == "latency" else self.kind
        parts = [self.target, kind]
        if self.remaining is not None:
            parts.append(f"next={self.remaining}")
        elif self.probability < 1.0:
            parts.append(f"p={self.probability:g}")
        return ":".join(parts)

    def matches(self, action: str) -> bool:
        return self.target in ("*", action)


def _known_operations() -> set[str]:
    catalog = load_catalog()
    return {op.name for op in catalog.operations()} | set(catalog.spapi.operations)


def parse_rules(spec: str) -> list[FaultRule]:
    """Parse a fault spec.

    Raises:
        ValueError: with a one-line message naming the bad rule.
    """
    known = _known_operations()
    rules: list[FaultRule] = []
    for raw in spec.replace(" ", "").split(","):
        if not raw:
            continue
        parts = raw.split(":")
        if len(parts) < 2:
            raise ValueError(f"fault rule {raw!r}: expected TARGET:KIND[:TRIGGER]")
        target, kind_text, triggers = parts[0], parts[1], parts[2:]
        if target != "*" and target not in known:
            raise ValueError(f"fault rule {raw!r}: unknown operation {target!r}")
        kind, _, arg = kind_text.partition("=")
        kind = ALIASES.get(kind, kind)
        if kind not in KINDS:
            raise ValueError(
                f"fault rule {raw!r}: unknown fault {kind!r} (one of {', '.join(KINDS)})"
            )
        rule = FaultRule(target, kind)
        if kind == "latency":
            rule.seconds = _number(raw, arg or "1", 0.0, 3600.0)
        elif arg:
            raise ValueError(f"fault rule {raw!r}: {kind} takes no value")
        for trig in triggers:
            name, _, value = trig.partition("=")
            if name == "next":
                rule.remaining = int(_number(raw, value, 1, 1_000_000))
            elif name == "p":
                rule.probability = _number(raw, value, 0.0, 1.0)
            elif name != "always":
                raise ValueError(f"fault rule {raw!r}: unknown trigger {trig!r}")
        rules.append(rule)
    return rules


def _number(raw: str, text: str, lo: float, hi: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"fault rule {raw!r}: {text!r} is not a number") from None
    if not lo <= value <= hi:
        raise ValueError(f"fault rule {raw!r}: {text} is outside {lo:g}..{hi:g}")
    return value


class FaultPlan:
    """The faults in force; safe to change while a server thread is using it.

    Args:
        rules: the initial rules.
        seed: seeds the generator behind ``p=`` triggers.
    """

    def __init__(self, rules: list[FaultRule] | None = None, seed: int = 0) -> None:
        self._rules = list(rules or [])
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.injected: list[tuple[str, str]] = []
        """(action, kind) of every fault injected so far, for tests and the admin view."""

    @classmethod
    def parse(cls, spec: str | None, seed: int = 0) -> FaultPlan:
        """A plan from a spec string (None or empty: no faults)."""
        return cls(parse_rules(spec or ""), seed)

    @property
    def spec(self) -> str:
        """The rules still in force, in spec syntax."""
        with self._lock:
            return ",".join(r.spec() for r in self._rules)

    def set(self, spec: str) -> None:
        """Replace every rule (ValueError on a bad spec; nothing changes then)."""
        rules = parse_rules(spec)
        with self._lock:
            self._rules = rules

    def add(self, spec: str) -> None:
        """Append rules (ValueError on a bad spec)."""
        rules = parse_rules(spec)
        with self._lock:
            self._rules.extend(rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def draw(self, action: str) -> tuple[float, FaultRule | None]:
        """What happens to one call of ``action``: added latency and the failure, if any."""
        latency = 0.0
        chosen: FaultRule | None = None
        with self._lock:
            for rule in list(self._rules):
                if not rule.matches(action) or (chosen is not None and rule.kind != "latency"):
                    continue
                if not self._fires(rule):
                    continue
                if rule.kind == "latency":
                    latency += rule.seconds
                else:
                    chosen = rule
            if chosen is not None:
                self.injected.append((action, chosen.kind))
        return latency, chosen

    def _fires(self, rule: FaultRule) -> bool:
        if rule.remaining is not None:
            rule.remaining -= 1
            if rule.remaining <= 0:
                self._rules.remove(rule)
            return True
        return rule.probability >= 1.0 or self._rng.random() < rule.probability
