"""The matter's lifecycle: the transition table, registering a matter and running its steps."""
