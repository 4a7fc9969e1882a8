"""Pages of the lawyers' desk, by subject (each file registers its routes on ``bp``)."""

from . import consultations, matters, roster, schedule  # noqa: F401
