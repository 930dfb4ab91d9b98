"""The MWS sandbox: Reports and Fulfillment Outbound, SigV2, NextTokens, quotas."""
