"""The dashboard's activity."""
