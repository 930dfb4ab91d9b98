"""The dashboard's reports."""
