"""Hearings (信访听证): hearing cases on major, complex or difficult matters."""
