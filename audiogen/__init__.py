"""audiogen: turn written articles into narrated podcast episodes."""

__version__ = "0.2.0"
