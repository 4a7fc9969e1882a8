"""Minsheng core: the platform and the shared case file. Modules import only ``core.api``."""
