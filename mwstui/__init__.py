"""mwstui: a terminal dashboard for Amazon MWS and SellerCenter marketplaces."""

__version__ = "0.1.0"
