"""A test module that adds to the lifecycle from its manifest alone (no code outside it)."""
