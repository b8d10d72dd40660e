"""Text stages: read, clean, split into sections, normalize for the ear."""
