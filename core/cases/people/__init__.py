"""Petitioners: ID numbers, name keys, the look-up on file, their history, sealed identities."""
