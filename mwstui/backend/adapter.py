"""What every service adapter shares: its account, its budgets, and which lost answers it settles.

The MWS and SP-API capabilities differ in how they list, plan and read back, not in this;
each adapter says only where an operation's modelled throttle comes from.
"""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar

from mwstui.backend.actions import Budget, CallCost
from mwstui.backend.models import AccountInfo
from mwstui.backend.protocols import Mutation
from mwstui.catalog import Throttle
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.governor import Governor


class AdapterClient(Protocol):
    """The part of a service client the shared adapter uses."""

    @property
    def seller_id(self) -> str: ...

    def bucket_key(self, operation: str) -> BucketKey: ...


C = TypeVar("C", bound=AdapterClient)


class ServiceAdapter(Generic[C]):
    """One capability of one account, over its client.

    Subclasses set ``service``, ``operations`` (the budget rows) and ``mutations`` (the
    lost answers it can settle), and say where an operation's throttle comes from.
    """

    service = ""
    operations: tuple[str, ...] = ()
    """The operations this capability calls, its listing first (its budget rows)."""
    mutations: frozenset[str] = frozenset()
    """The mutations whose lost answer it can settle."""

    def __init__(self, client: C, account: AccountInfo, governor: Governor) -> None:
        self.client = client
        self._account = account
        self.governor = governor

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.client!r})"

    @property
    def account(self) -> AccountInfo:
        return self._account

    @property
    def settles(self) -> frozenset[str]:
        return self.mutations

    def throttle(self, operation: str) -> Throttle:
        """The modelled throttle of ``operation`` (from the service's catalog)."""
        raise NotImplementedError

    def budget(self, operation: str) -> Budget:
        if operation not in self.operations:
            raise KeyError(operation)
        return Budget(operation, self.client.bucket_key(operation), self.throttle(operation))

    def budgets(self) -> tuple[Budget, ...]:
        # Operations that share a bucket (ListAll… and its ByNextToken) are one row.
        found: dict[object, Budget] = {}
        for name in self.operations:
            budget = self.budget(name)
            found.setdefault(budget.key, budget)
        return tuple(found.values())

    def cost(self, operation: str, calls: int) -> CallCost:
        return CallCost(self.budget(operation), calls)

    def mine(self, mutation: Mutation) -> bool:
        """Whether ``mutation`` was sent by this account, in an operation this settles."""
        return (
            mutation.service == self.service
            and mutation.account == self.client.seller_id
            and mutation.operation in self.settles
            and bool(mutation.items)
        )
