"""The SP-API simulator: LWA tokens, Reports 2021-06-30 and Fulfillment Outbound 2020-07-01."""
