"""SellerCenter marketplaces (Jumia, Daraz, Linio, Falabella): signing, client, models."""
