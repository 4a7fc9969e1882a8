"""Language choice: Simplified Chinese by default, English on request."""

from __future__ import annotations

from flask import request, session
from flask_babel import lazy_gettext

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


def _l(message: str):
    """``message`` translated when it is shown, not when it is written (``-k _l``).

    For text fixed when Python loads a file but shown per request in the reader's language:
    form labels, choices and validator messages. The result renders as the translated text in
    templates and WTForms widgets; turn it into ``str`` before putting it in JSON.
    """
    return lazy_gettext(message)
