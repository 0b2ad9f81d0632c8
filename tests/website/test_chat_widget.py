"""The chat widget on the demo page: a whole conversation, by mouse and by keyboard alone, text kept as text,
no traces kept (no cookies, no localStorage, nothing outside localhost), and axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

import pytest

from services_catalogue.db import get_engine, session_scope
from services_catalogue.models import Service

pytestmark = [pytest.mark.browser, pytest.mark.stack]

MENS_ADVICE_LINE = "0808 801 0327"
INJECTION = "<img src=x onerror=alert(1)>"


def test_a_whole_conversation_from_the_demo_page_to_a_service_number(open_demo):
    chat = open_demo()
    assert chat.page.title() == "Buckinghamshire Council"  # the neutral title, not "Domestic abuse"
    chat.open()
    chat.choose("Yes, I can talk")
    chat.wait_for_reply("Tell me what is happening")
    chat.say("I'm a man and my wife hits me")
    chat.wait_for_reply(MENS_ADVICE_LINE)

    yours = chat.page.locator(".app-chat-widget__message--you .app-chat-widget__message-text").all_inner_texts()
    assert yours == ["Yes, I can talk", "I'm a man and my wife hits me"]
    assert chat.page.locator(".app-chat-widget__message-text[dir=auto]").count() == len(chat.helper_texts()) + 2
    assert chat.page.get_by_role("log").count() == 1
    assert chat.page.context.cookies() == []
    assert chat.page.evaluate("() => localStorage.length") == 0
    assert chat.page.evaluate("() => location.href") == "http://localhost:8080/"  # no conversation in any URL


def test_the_conversation_and_the_exit_work_from_the_keyboard_alone(open_demo, rasa_stack):
    chat = open_demo()
    page = chat.page

    def focused() -> str:
        return page.evaluate("() => document.activeElement.textContent.trim()")

    def tab_to(text: str, key: str = "Tab") -> None:
        for _ in range(40):
            page.keyboard.press(key)
            if focused().endswith(text):
                return
        raise AssertionError(f"Could not reach '{text}' with {key}")

    tab_to("Chat with our online helper")
    page.keyboard.press("Enter")
    assert focused() == "Start chat"
    page.keyboard.press("Enter")
    chat.wait_for_reply("not an emergency service")
    assert page.evaluate("() => document.activeElement.id") == "app-chat-widget-input"
    tab_to("Yes, I can talk", key="Shift+Tab")
    page.keyboard.press("Enter")
    chat.wait_for_reply("Tell me what is happening")
    assert page.evaluate("() => document.activeElement.id") == "app-chat-widget-input"
    page.keyboard.type("I'm a man and my wife hits me")
    page.keyboard.press("Enter")
    chat.wait_for_reply(MENS_ADVICE_LINE)

    tab_to("Exit this page", key="Shift+Tab")
    page.keyboard.press("Enter")
    chat.wait_until_left()


def test_a_catalogue_description_holding_html_shows_as_text(open_demo, rasa_stack):
    engine = get_engine(rasa_stack.catalogue_url)
    with session_scope(engine) as session:
        service = session.query(Service).filter_by(key="mens-advice-line").one()
        original = service.description
        service.description = f"Helpline {INJECTION} for men."
    try:
        chat = open_demo()
        chat.open()
        chat.say("I'm a man and my wife hits me")
        chat.wait_for_reply(INJECTION)
        assert chat.panel.locator("img").count() == 0
        assert any(f"Helpline {INJECTION} for men." in text for text in chat.helper_texts())
    finally:
        with session_scope(engine) as session:
            session.query(Service).filter_by(key="mens-advice-line").one().description = original


def test_when_the_assistant_cannot_be_reached_999_and_the_helpline_still_show(open_demo):
    chat = open_demo()
    chat.page.route("http://localhost:5005/webhooks/web/webhook", lambda route: route.abort())
    chat.open_without_greeting()
    chat.wait_for_reply("0808 2000 247")
    assert "call 999" in chat.helper_texts()[-1] and "press 55" in chat.helper_texts()[-1]


def test_no_javascript_still_shows_999_and_the_helpline(browser, rasa_stack):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("http://localhost:8080/")
        text = page.inner_text("main")
        assert "call 999" in text and "press 55" in text and "0808 2000 247" in text
        assert page.locator(".app-chat-widget").count() == 0
    finally:
        context.close()


def test_axe_finds_no_wcag_22_aa_violations_with_the_chat_open(open_demo, axe_violations):
    chat = open_demo(bypass_csp=True)  # axe is injected as an inline script, which the page's CSP refuses
    chat.page.get_by_role("button", name="Chat with our online helper").click()
    assert axe_violations(chat.page) == []  # the panel explaining the exit, before the chat starts
    chat.page.get_by_role("button", name="Start chat").click()
    chat.wait_for_reply("not an emergency service")
    chat.say("I'm a man and my wife hits me")
    chat.wait_for_reply(MENS_ADVICE_LINE)
    assert axe_violations(chat.page) == []


def test_a_wrapped_link_in_the_intro_starts_beside_its_bullet(open_demo):
    chat = open_demo(viewport={"width": 320, "height": 640})
    chat.page.get_by_role("button", name="Chat with our online helper").click()
    lines = chat.page.evaluate("""() => [...document.querySelectorAll('.app-chat-widget__link')].map((link) => {
        const item = link.closest('li').getBoundingClientRect()
        const rects = [...link.getClientRects()]
        return {lines: rects.length, fromTop: rects[0].top - item.top}
    })""")
    assert max(link["lines"] for link in lines) >= 2  # at this width a link wraps: one rect per line of text
    assert all(abs(link["fromTop"]) < 4 for link in lines)
