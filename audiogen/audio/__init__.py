"""Audio stages: synthesize per sentence, stitch, normalize loudness, encode, tag."""
