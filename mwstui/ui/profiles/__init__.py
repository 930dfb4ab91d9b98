"""The dashboard's profiles."""
