"""Official documents: autoescaped Jinja → WeasyPrint PDF with a CJK font, fetching nothing.

The URL fetcher serves only files inside ``core/static/pdf`` (and data: URLs); remote URLs and
any other local file are refused, so a petitioner's text cannot make the server fetch or embed
anything (SSRF, ``file://`` disclosure).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSET_ROOT = (Path(__file__).resolve().parent / "static" / "pdf").resolve()
ASSET_URL = "minsheng-asset:"


class FetchRefused(ValueError):
    """A document tried to load something it may not."""


class LockedFetcher(URLFetcher):
    """Serve ``minsheng-asset:`` files from the PDF asset folder and ``data:``; refuse the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:  # noqa: D102
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(ASSET_URL):
            rel = unquote(urlsplit(url).path).lstrip("/")
            target = (ASSET_ROOT / rel).resolve()
            # realpath containment: no "..", no symlink escaping the folder.
            if os.path.commonpath([target, ASSET_ROOT]) == str(ASSET_ROOT) and target.is_file():
                return URLFetcherResponse(url, body=target.read_bytes())
        raise FetchRefused(f"refused to fetch {url[:80]!r}")


def render_pdf(template: str, context: dict[str, Any] | None = None) -> bytes:
    """Render ``template`` (a Jinja HTML template, autoescaped) to PDF bytes.

    Templates should extend ``core/pdf/document.html``, which sets ``lang="zh-CN"`` and the
    CJK font so Chinese is drawn with Simplified Chinese glyph forms.
    """
    # The app's Jinja environment (autoescaping .html) without the page context processors:
    # a document must not depend on who is logged in or on the navigation.
    html = current_app.jinja_env.get_template(template).render(**(context or {}))
    return HTML(string=html, base_url=ASSET_URL + "/", url_fetcher=LockedFetcher()).write_pdf()


def warm_up() -> None:
    """Lay out a line in each face the documents use.

    The first document of a worker would otherwise pay for loading the fonts and the text and
    PDF libraries' bindings (~0.5 s, once).
    """
    css = current_app.jinja_env.get_template("core/pdf/document.css.jinja").render()
    line = "<h1>民声</h1><p>民声<b>民声</b></p>"
    HTML(string=f'<html lang="zh-CN"><style>{css}</style>{line}</html>').write_pdf()
