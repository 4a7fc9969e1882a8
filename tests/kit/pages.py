"""Pages in module tests: CSRF tokens, posting forms as a browser would, files to upload."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.accounts_support import post_form
from tests.browser import log_in, log_out
from tests.cases_web_support import PDF_BYTES, PNG_BYTES
from tests.plugin import TOKEN_RE, csrf_token, login

__all__ = [
    "CJK",
    "PDF_BYTES",
    "PNG_BYTES",
    "TOKEN_RE",
    "chinese_left",
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


CJK = re.compile(r"[\u4e00-\u9fff]+")
#: Attributes shown or read out to the user.
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-confirm")


class _Shown(HTMLParser):
    """The text and shown attributes of a page, without scripts, text areas, options and the
    field labels core's ``field`` macro renders from forms.py (Python data the templates do not
    translate); a ``<label for>`` whose target starts with one of ``checked_labels`` is kept."""

    def __init__(self, checked_labels: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.checked_labels = checked_labels
        self.parts: list[str] = []
        self.skip = 0  # inside <script>, <style>, <textarea> or <option>
        self.label: list[str] | None = None  # the text of a <label> without ``for``
        self.field_label = 0  # inside <label for=...>: a WTForms label

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        target = attrs.get("for") or ""
        if tag in ("script", "style", "textarea", "option"):
            self.skip += 1
        elif tag == "label" and target and not target.startswith(self.checked_labels or ("\0",)):
            self.field_label += 1
        elif tag == "label" and not target:
            self.label = []
        elif tag == "input" and attrs.get("type") == "checkbox" and self.label is not None:
            self.label = None  # core's macro: <label><input type=checkbox> {{ f.label.text }}
            self.field_label += 1
        self.parts += [attrs[a] for a in SHOWN_ATTRIBUTES if attrs.get(a)]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea", "option"):
            self.skip = max(self.skip - 1, 0)
        elif tag == "label":
            if self.label is not None:
                self.parts += self.label
            self.label = None
            self.field_label = max(self.field_label - 1, 0)

    def handle_data(self, data):
        if self.skip or self.field_label:
            return
        (self.label if self.label is not None else self.parts).append(data)


def chinese_left(html: str, data: list[str], checked_labels: tuple[str, ...] = ()) -> list[str]:
    """The Chinese runs an English page still shows, once ``data`` (what people typed, longest
    first) and the language switch (中文, in its own language) are taken out."""
    parser = _Shown(checked_labels)
    parser.feed(html)
    text = "\n".join(parser.parts).replace("中文", " ")
    for value in data:
        text = text.replace(value, " ")
    return CJK.findall(text)
