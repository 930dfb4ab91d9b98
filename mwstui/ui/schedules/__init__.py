"""The dashboard's schedules."""
