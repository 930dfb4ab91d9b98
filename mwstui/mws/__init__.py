"""Amazon MWS: signing, parsing, typed models and the client (no UI here)."""
