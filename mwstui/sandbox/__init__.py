"""A faithful local simulator of MWS Reports, Fulfillment Outbound and SellerCenter."""
