"""Publishing: the output folder as a static podcast site (feed, cover, episodes)."""
