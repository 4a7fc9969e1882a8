"""The matter's own records: numbers, timeline, content categories, satisfaction ratings."""
