"""Settings: config.toml, profiles, the credential chain and the keyring, and every path."""
