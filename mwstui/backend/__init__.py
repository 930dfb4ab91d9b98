"""The seam between the panels and the services: backend-neutral records, plans and outcomes.

Nothing here imports httpx, Textual or a service package; the services' adapters
(``mws/backend.py``, ``sellercenter/backend.py``, ``spapi/backend.py``) speak these types
and the UI speaks nothing else.
"""
