"""Almanac (黄历): a test add-on registered through the ``minsheng.modules`` entry point."""
