"""Source contracts in code: framing, validation, normalisation and quarantine of raw records."""
