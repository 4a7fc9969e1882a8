"""Pages in module tests: CSRF tokens, posting forms as a browser would, files to upload."""

from __future__ import annotations

import re

from tests.accounts_support import post_form
from tests.browser import log_in, log_out
from tests.cases_web_support import PDF_BYTES, PNG_BYTES
from tests.plugin import TOKEN_RE, csrf_token, login

__all__ = [
    "PDF_BYTES",
    "PNG_BYTES",
    "TOKEN_RE",
    "csrf_token",
    "form_token",
    "log_in",
    "log_out",
    "login",
    "post_form",
    "post_on_page",
    "shown_version",
]

_VERSION_RE = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')


def form_token(html: str) -> str:
    """The CSRF token of the first form on a rendered page."""
    m = TOKEN_RE.search(html)
    assert m, "no CSRF token in the page"
    return m.group(1) or m.group(2)


def shown_version(html: str) -> str | None:
    """The optimistic-locking ``version`` the first form on the page carries, if any."""
    m = _VERSION_RE.search(html)
    return (m.group(1) or m.group(2)) if m else None


def post_on_page(client, page: str, action: str, **data):
    """Post the form ``action`` of ``page`` (to ``<page>/<action>``) as the page would: with
    the page's CSRF token and, unless ``data`` has one, the ``version`` the page shows."""
    html = client.get(page).get_data(as_text=True)
    payload = {"csrf_token": form_token(html), **data}
    version = shown_version(html)
    if "version" not in data and version is not None:
        payload["version"] = version
    return client.post(f"{page.rstrip('/')}/{action}", data=payload)
