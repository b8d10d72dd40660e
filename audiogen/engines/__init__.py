"""Speech engines: a small protocol (``base``) and a registry of entry points."""
