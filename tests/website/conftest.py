"""The demo council page in Debian's chromium, talking to the running stack.

This folder is not a package (no __init__.py), like tests/bot: as a package named `website` it would hide the
real one. So the helpers here are fixtures, not imports.

The browser never reaches the internet: the exit's BBC Weather address is answered by the test with a neutral
page, and any other request that leaves localhost is refused and recorded, so a test can assert there were none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_URL = "http://localhost:8080/"
WEB_CHAT_URL = "http://localhost:5005/webhooks/web/webhook"
EXIT_BEACON_URL = "http://localhost:5005/webhooks/web/exit"
EXIT_URL = "https://www.bbc.co.uk/weather"
NEUTRAL_PAGE = "<!DOCTYPE html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
TIMEOUT_MS = 15_000
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class ChatPage:
    """One tab on the demo page, with what it did that it should not have."""

    page: object
    demo_url = DEMO_URL
    outside_requests: list[str] = field(default_factory=list)
    csp_refusals: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    exit_beacons: list = field(default_factory=list)

    @property
    def panel(self):
        return self.page.locator("#app-chat-widget-panel")

    def open_without_greeting(self) -> None:
        self.page.get_by_role("button", name="Chat with our online helper").click()
        self.page.get_by_role("button", name="Start chat").click()

    def open(self) -> None:
        self.open_without_greeting()
        self.wait_for_reply("not an emergency service")

    def helper_texts(self) -> list[str]:
        return self.page.locator(".app-chat-widget__message--helper .app-chat-widget__message-text").all_inner_texts()

    def wait_for_reply(self, text: str) -> None:
        """Waits until one of the helper's messages contains `text`."""
        try:
            self.page.wait_for_function(
                """(text) => [...document.querySelectorAll(
                       '.app-chat-widget__message--helper .app-chat-widget__message-text')]
                     .some((m) => m.textContent.includes(text))""",
                arg=text,
                timeout=TIMEOUT_MS,
            )
        except playwright_api.TimeoutError:
            raise AssertionError(f"No reply with {text!r}; the helper said: {self.helper_texts()}") from None

    def choose(self, title: str) -> None:
        self.panel.get_by_role("button", name=title, exact=True).click()

    def say(self, text: str) -> None:
        self.page.get_by_label("Your message").fill(text)
        self.page.get_by_label("Your message").press("Enter")

    def session_storage(self) -> dict[str, str]:
        return self.page.evaluate("() => Object.fromEntries(Object.entries(sessionStorage))")

    def sender(self) -> str:
        return self.page.evaluate("() => JSON.parse(sessionStorage.getItem('app-chat-widget')).sender")

    def wait_until_left(self) -> None:
        self.page.wait_for_url(EXIT_URL, timeout=TIMEOUT_MS)
        assert self.page.title() == "Weather"


@pytest.fixture
def open_demo(browser, rasa_stack):
    """open_demo(**context_options): a fresh browser session (its own sessionStorage) on the demo page."""
    contexts, pages = [], []

    def make(**context_options) -> ChatPage:
        context = browser.new_context(**context_options)
        contexts.append(context)
        chat = ChatPage(context.new_page())
        pages.append(chat)

        def route(request_route):
            url = request_route.request.url
            if url.startswith(EXIT_URL):
                request_route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)
            elif urlsplit(url).hostname in LOCAL_HOSTS:
                request_route.continue_()
            else:
                chat.outside_requests.append(url)
                request_route.abort()

        context.route(re.compile(".*"), route)
        context.on(
            "request",
            lambda request: (
                chat.exit_beacons.append(request.post_data_json) if request.url == EXIT_BEACON_URL else None
            ),
        )
        chat.page.on(
            "console",
            lambda message: (
                chat.csp_refusals.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )

        def record_dialog(dialog):
            chat.dialogs.append(dialog.message)
            dialog.dismiss()

        chat.page.on("dialog", record_dialog)
        chat.page.set_default_timeout(TIMEOUT_MS)
        chat.page.goto(DEMO_URL)
        chat.page.wait_for_selector(".app-chat-widget__launcher")
        return chat

    yield make
    for context in contexts:
        context.close()
    for chat in pages:
        assert chat.outside_requests == [], "the page asked for something outside localhost"
        assert chat.dialogs == []
        assert chat.csp_refusals == []


@pytest.fixture
def web_chat_reply(rasa_stack):
    """web_chat_reply(sender, message): one turn through the web channel, outside any browser."""

    def reply(sender: str, message: str) -> str:
        response = requests.post(WEB_CHAT_URL, json={"sender": sender, "message": message}, timeout=30)
        response.raise_for_status()
        return "\n".join(m.get("text", "") for m in response.json())

    return reply


@pytest.fixture
def axe_violations():
    """axe_violations(page): axe-core's WCAG 2.2 AA violations on the page as it is (open it with bypass_csp=True:
    axe is injected as an inline script, which the page's CSP refuses)."""

    def violations(page) -> list[dict]:
        assert AXE.exists(), "axe-core is not installed: run `npm ci --no-audit --no-fund`"
        page.add_script_tag(path=str(AXE))
        return page.evaluate(
            """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})
                 .then((result) => result.violations.map((v) => ({id: v.id, nodes: v.nodes.map((n) => n.target)})))""",
            WCAG_22_AA,
        )

    return violations
