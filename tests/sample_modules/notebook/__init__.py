"""A small module used only by the tests to prove the module machinery and record rules."""
