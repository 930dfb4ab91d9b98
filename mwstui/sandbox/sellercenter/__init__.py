"""The SellerCenter sandbox: accounts, orders and items, signed calls, its own errors."""
