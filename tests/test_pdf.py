"""Official documents: Chinese text read back from the PDF, and a URL fetcher that fetches nothing.

The PDFs are read with poppler-utils (``pdftotext``, ``pdffonts``, ``pdfdetach``, ``pdfimages``).
Rendering needs no database, so these tests use one app on an unused SQLite path.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask import render_template
from fontTools.ttLib import TTFont
from jinja2 import ChoiceLoader, DictLoader
from PIL import Image
from weasyprint import HTML
from weasyprint.urls import URLFetcher

import core.pdf
from core.pdf import FetchRefused, LockedFetcher, render_pdf
from tests.plugin import make_app

TEMPLATES = {
    "pdftest/notice.html": """{% extends "core/pdf/document.html" %}
{% block title %}{{ title }}{% endblock %}
{% block body %}<h1>{{ title }}</h1><p>{{ body }}</p>{% endblock %}""",
    # What an attacker would like a document to contain (as if a template let it through).
    "pdftest/hostile.html": """{% extends "core/pdf/document.html" %}
{% block body %}
<p>正文</p>
<link rel="attachment" href="file://{{ secret }}" title="secret">
<a rel="attachment" href="file://{{ secret }}">附件</a>
<img src="file://{{ secret_image }}">
<img src="file:///etc/passwd">
<img src="{{ server }}/image.png">
<link rel="stylesheet" href="{{ server }}/style.css">
<div style="background: url('{{ server }}/background.png')">背景</div>
<object data="{{ server }}/object.png" type="image/png"></object>
<link rel="attachment" href="{{ server }}/attachment.txt">
<img src="minsheng-asset:/../../../../..{{ secret_image }}">
{% endblock %}""",
    "pdftest/image.html": """{% extends "core/pdf/document.html" %}
{% block body %}<p>图片</p><img src="{{ src }}" style="width: 2cm">{% endblock %}""",
}


def png_bytes(color: str = "red") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def pdf_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("pdf-app")
    app = make_app(f"sqlite:///{root / 'unused.db'}", root / "var")
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])
    return app


class Recorder(BaseHTTPRequestHandler):
    """Answers everything (a PNG, or text) and remembers every path asked for."""

    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        png = self.path.endswith(".png")
        body = png_bytes("blue") if png else b"FROM-THE-NETWORK"
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if png else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def http_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def hits(http_server):
    Recorder.hits = []
    return Recorder.hits


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


def text_of(pdf: bytes, tmp_path: Path) -> str:
    """The text of the PDF with whitespace removed (letter-spacing splits CJK runs)."""
    return "".join(poppler("pdftotext", pdf, tmp_path, "-enc", "UTF-8").split())


def embedded_files(pdf: bytes, tmp_path: Path) -> list[bytes]:
    out = tmp_path / "detached"
    out.mkdir(exist_ok=True)
    poppler("pdfdetach", pdf, tmp_path, "-saveall", "-o", str(out))
    return [p.read_bytes() for p in sorted(out.iterdir())]


def image_count(pdf: bytes, tmp_path: Path) -> int:
    listing = poppler("pdfimages", pdf, tmp_path, "-list").splitlines()
    return len(listing) - 2  # two header lines


# --- Chinese text --------------------------------------------------------------------------

TITLE = "信访事项受理告知书"
BODY = "张三：你于2026年3月1日提出的信访事项，本机关依法予以受理。"


def test_chinese_text_reads_back_from_the_pdf(pdf_app, tmp_path):
    with pdf_app.app_context():  # as in a scheduled job: no request
        pdf = render_pdf("pdftest/notice.html", {"title": TITLE, "body": BODY})
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf, tmp_path)
    assert TITLE in text and BODY in text
    # Simplified Chinese glyph forms: the SC face of the CJK font, not the Japanese one.
    fonts = poppler("pdffonts", pdf, tmp_path)
    assert "CJK-SC" in fonts.replace(" ", "-")
    assert "JP" not in fonts


# --- the cut faces (scripts/document_fonts.py, installed by scripts/run and scripts/test) ----

RARE = "堃"  # a name character outside GB 2312


def embedded_faces(pdf: bytes, tmp_path: Path) -> set[str]:
    """The embedded faces' names without their subset tag (``ABCDEF+``)."""
    lines = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in lines}


def test_documents_are_set_in_the_cut_faces(pdf_app, tmp_path):
    with pdf_app.app_context():
        pdf = render_pdf("pdftest/notice.html", {"title": TITLE, "body": BODY + "特此告知。"})
    assert embedded_faces(pdf, tmp_path) == {
        "Minsheng-Serif-CJK-SC-Bold",  # the title
        "Minsheng-Serif-CJK-SC",  # the text
    }


def test_a_character_outside_gb2312_comes_from_the_full_face(pdf_app, tmp_path):
    body = f"张{RARE}：你的信访事项已受理。"
    with pdf_app.app_context():
        pdf = render_pdf("pdftest/notice.html", {"title": TITLE, "body": body})
    assert body in text_of(pdf, tmp_path)
    assert "Noto-Serif-CJK-SC" in embedded_faces(pdf, tmp_path)


def _fonts_script():
    path = Path(__file__).resolve().parents[1] / "scripts" / "document_fonts.py"
    spec = importlib.util.spec_from_file_location("document_fonts", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cut_faces_hold_gb2312_under_their_own_name(tmp_path):
    script = _fonts_script()
    assert script.build(tmp_path) is True
    assert script.build(tmp_path) is False  # unchanged sources: nothing rebuilt
    with TTFont(tmp_path / "MinshengSerifCJK-Regular.otf") as font:
        family, cmap = font["name"].getDebugName(1), font.getBestCmap()
    assert family == "Minsheng Serif CJK SC"
    for char in "啊齄张访〔〕：，A1":  # GB 2312's first and last hanzi, punctuation, Latin
        assert ord(char) in cmap, char
    assert ord(RARE) not in cmap


def test_text_is_escaped_not_markup(pdf_app, tmp_path):
    hostile = '<img src="file:///etc/passwd">张三<b>粗体</b>'
    with pdf_app.test_request_context():
        pdf = render_pdf("pdftest/notice.html", {"title": TITLE, "body": hostile})
    assert "".join(hostile.split()) in text_of(pdf, tmp_path)
    assert image_count(pdf, tmp_path) == 0


# --- the locked-down URL fetcher -----------------------------------------------------------


@pytest.fixture
def secrets_on_disk(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-机密-4711\n", encoding="utf-8")
    secret_image = tmp_path / "secret.png"
    secret_image.write_bytes(png_bytes("green"))
    return {"secret": str(secret), "secret_image": str(secret_image)}


def hostile_context(http_server, secrets_on_disk) -> dict[str, str]:
    host, port = http_server.server_address[:2]
    return {"server": f"http://{host}:{port}", **secrets_on_disk}


def test_hostile_document_fetches_and_embeds_nothing(
    pdf_app, http_server, hits, secrets_on_disk, tmp_path
):
    with pdf_app.app_context():
        pdf = render_pdf("pdftest/hostile.html", hostile_context(http_server, secrets_on_disk))
    assert hits == []
    assert embedded_files(pdf, tmp_path) == []
    assert image_count(pdf, tmp_path) == 0
    text = text_of(pdf, tmp_path)
    assert "正文" in text
    assert "SECRET" not in text and "root:" not in text
    assert b"SECRET" not in pdf


def test_the_checks_above_do_see_fetching_when_it_happens(
    pdf_app, http_server, hits, secrets_on_disk, tmp_path, monkeypatch
):
    # Control: the same document through WeasyPrint's default fetcher is caught by every check
    # the test above relies on, so those checks cannot pass vacuously.
    for var in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    with pdf_app.app_context():
        html = render_template(
            "pdftest/hostile.html", **hostile_context(http_server, secrets_on_disk)
        )
    pdf = HTML(string=html, url_fetcher=URLFetcher(timeout=5)).write_pdf()
    assert "/image.png" in hits and "/attachment.txt" in hits
    files = embedded_files(pdf, tmp_path)
    assert "SECRET-机密-4711\n".encode() in files
    assert b"FROM-THE-NETWORK" in files
    assert image_count(pdf, tmp_path) >= 2


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/hostname",
        "http://127.0.0.1:9/x.png",
        "https://example.invalid/x.png",
        "ftp://127.0.0.1/x",
        "minsheng-asset:/../../../../etc/passwd",
        "minsheng-asset:/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "relative/seal.png",
    ],
)
def test_fetcher_refuses(url):
    with pytest.raises((FetchRefused, ValueError)):
        LockedFetcher().fetch(url)


def test_data_urls_and_assets_in_the_asset_folder_are_drawn(
    pdf_app, tmp_path, monkeypatch, secrets_on_disk
):
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "seal.png").write_bytes(png_bytes())
    (assets / "escape.png").symlink_to(secrets_on_disk["secret_image"])
    monkeypatch.setattr(core.pdf, "ASSET_ROOT", assets.resolve())
    data_url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()

    def images(src: str) -> int:
        with pdf_app.app_context():
            return image_count(render_pdf("pdftest/image.html", {"src": src}), tmp_path)

    assert images("minsheng-asset:/seal.png") == 1
    assert images(data_url) == 1
    assert images("minsheng-asset:/escape.png") == 0  # a symlink leading out of the folder
    assert images("minsheng-asset:/missing.png") == 0
