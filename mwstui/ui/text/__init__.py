"""The dashboard's text."""
