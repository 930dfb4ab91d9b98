"""The dashboard's fulfillment."""
