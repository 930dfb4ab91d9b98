"""The backends a session holds, one per capability, and who settles a lost answer."""

from __future__ import annotations

from dataclasses import dataclass

from mwstui.backend.outcomes import ItemResult
from mwstui.backend.protocols import (
    Backend,
    FulfillmentBackend,
    Mutation,
    OrdersBackend,
    ReportsBackend,
    SchedulesBackend,
)


@dataclass
class Backends:
    """What the panels use instead of clients; a capability the session lacks is None."""

    reports: ReportsBackend | None = None
    schedules: SchedulesBackend | None = None
    fulfillment: FulfillmentBackend | None = None
    orders: OrdersBackend | None = None

    def all(self) -> list[Backend]:
        """Every backend present, in panel order."""
        found = (self.reports, self.schedules, self.fulfillment, self.orders)
        return [b for b in found if b is not None]

    async def check_outcome(self, mutation: Mutation) -> ItemResult | None:
        """Settle ``mutation`` with the backend that sent it, or None if none can.

        Raises:
            MwstuiError: the read-back failed (try again at the next start).
        """
        for backend in self.all():
            if mutation.operation in backend.settles:
                found = await backend.check_outcome(mutation)
                if found is not None:
                    return found
        return None
