"""A service's status scheme from its catalog enumeration, by the one naming rule.

Every status enumeration a cancel depends on is in the catalog three times: every value
(``NAME``), those a cancel accepts (``NAME_cancellable``) and those that never change
again (``NAME_terminal``). MWS and SP-API adapters differ only in where their catalog
keeps enumerations and in the tones they add.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from mwstui.backend.models import StatusScheme, Tone


def catalog_scheme(
    enum: Callable[[str], Sequence[str]],
    name: str,
    tones: Mapping[str, Tone],
    *,
    fold_case: bool = False,
) -> StatusScheme:
    """The ``StatusScheme`` of the catalog enumeration ``name``.

    Args:
        enum: reads one enumeration of the service's catalog by name.
        name: the enumeration (``report_processing_status``).
        tones: how each value reads (the UI colours by tone, never by literal).
        fold_case: compare values case-insensitively (SP-API fulfillment).
    """
    return StatusScheme(
        enum(name),
        cancellable=enum(f"{name}_cancellable"),
        terminal=enum(f"{name}_terminal"),
        tones=tones,
        fold_case=fold_case,
    )
