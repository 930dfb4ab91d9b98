"""The SP-API backends of a session, one per capability (typed against the protocols)."""

from __future__ import annotations

from mwstui.backend.backends import Backends
from mwstui.backend.models import AccountInfo
from mwstui.spapi.backend import SpapiReports
from mwstui.spapi.client import SPAPIClient
from mwstui.spapi.fulfillment_backend import SpapiFulfillment
from mwstui.spapi.schedules_backend import SpapiSchedules
from mwstui.throttle.governor import Governor


def spapi_backends(client: SPAPIClient, account: AccountInfo, governor: Governor) -> Backends:
    """Reports, Schedules and Fulfillment for one SP-API account (no marketplace orders)."""
    return Backends(
        reports=SpapiReports(client, account, governor),
        schedules=SpapiSchedules(client, account, governor),
        fulfillment=SpapiFulfillment(client, account, governor),
    )
