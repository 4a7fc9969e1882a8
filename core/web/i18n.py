"""Language choice: Simplified Chinese by default, English on request."""

from __future__ import annotations

from flask import request, session

SUPPORTED = ("zh_CN", "en")


def select_locale() -> str:
    """The session's chosen language, else zh_CN (the intranet's language)."""
    lang = session.get("lang") if request else None
    return lang if lang in SUPPORTED else "zh_CN"


def N_(message: str) -> str:
    """Mark ``message`` for the translation extractor (``-k N_``); returns it unchanged.

    For labels that are data in Python (menu items, states, choices): the templates translate
    them as they render, but ``pybabel extract`` only sees literal strings marked like this.
    """
    return message
