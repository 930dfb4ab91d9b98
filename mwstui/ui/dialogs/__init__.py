"""The dashboard's dialogs."""
