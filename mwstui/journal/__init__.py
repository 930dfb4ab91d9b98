"""The journal: every mutating call, written before it is sent and completed after."""
