"""A test module that requires notebook (dependency order and refusal of uninstall)."""
