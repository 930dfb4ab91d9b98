"""Amazon Selling Partner API client: LWA auth, Reports 2021-06-30, Fulfillment Outbound."""
