"""Deadlines: the clocks of a matter, the working-day calendar they count on, the daily job."""
