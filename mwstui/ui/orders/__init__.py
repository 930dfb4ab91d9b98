"""The dashboard's orders."""
