"""The demo website server: our files only, with strict security headers."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
import requests

from website import server

WEBSITE = Path(server.__file__).resolve().parent


@pytest.fixture(scope="module")
def site():
    httpd = server.make_server(0, "http://localhost:5005")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_the_home_page_is_the_demo_with_strict_headers(site):
    response = requests.get(site + "/", timeout=5)
    assert response.status_code == 200 and "Domestic abuse: get help" in response.text
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "connect-src 'self' http://localhost:5005;" in policy and "default-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/components/chat-widget/chat-widget.js", "text/javascript"),
        ("/components/exit-this-page/exit-this-page.css", "text/css"),
        ("/components/chat-widget/texts/ur.json", "application/json"),
    ],
)
def test_the_widget_files_are_served_with_their_types(site, path, content_type):
    response = requests.get(site + path, timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(content_type)


@pytest.mark.parametrize(
    "path",
    [
        "/server.py",
        "/__init__.py",
        "/components/",
        "/components/chat-widget/README.md",
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/missing.html",
    ],
)
def test_only_our_web_files_are_served(site, path):
    assert requests.get(site + path, timeout=5).status_code == 404


def test_only_get_and_head(site):
    assert requests.post(site + "/", data="x", timeout=5).status_code == 405
    assert requests.head(site + "/", timeout=5).status_code == 200


def test_no_inline_script_style_or_handler_in_our_html():
    """The CSP refuses them; this names the file at fault before a browser test has to."""
    for page in WEBSITE.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html, re.IGNORECASE), page


def test_a_nul_byte_in_the_path_is_a_404_not_a_dropped_connection(site):
    assert requests.get(site + "/demo/%00index.html", timeout=5).status_code == 404


def test_a_405_names_the_methods_that_work(site):
    response = requests.post(site + "/", timeout=5)
    assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD"


def test_the_favicon_is_served(site):
    response = requests.get(site + "/favicon.ico", timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/x-icon"
