"""Exit this page: every way out leaves at once for the neutral site, Back does not return, sessionStorage is
empty and the server has forgotten the conversation; the shortcuts are announced as on GOV.UK."""

from __future__ import annotations

import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.stack]

MENS_ADVICE_LINE = "0808 801 0327"


def by_button(chat) -> None:
    chat.panel.get_by_role("button", name="Emergency Exit this page").click()


def by_shift_three_times(chat) -> None:
    for _ in range(3):
        chat.page.keyboard.press("Shift")


def by_escape_twice_in_the_chat(chat) -> None:
    chat.page.get_by_label("Your message").focus()
    chat.page.keyboard.press("Escape")
    chat.page.keyboard.press("Escape")


def by_the_skip_link(chat) -> None:
    assert chat.page.evaluate("() => document.body.firstElementChild.textContent") == "Emergency Exit this page"
    chat.page.locator(".app-exit-this-page__skiplink").focus()  # the first Tab stop of the page
    chat.page.keyboard.press("Enter")


def by_typing_exit(chat) -> None:
    chat.say("EXIT")  # the assistant's own quick exit: the reply tells the widget to leave


@pytest.mark.parametrize(
    "leave", [by_button, by_shift_three_times, by_escape_twice_in_the_chat, by_the_skip_link, by_typing_exit]
)
def test_each_way_out_leaves_for_good_and_the_conversation_is_gone(open_demo, web_chat_reply, leave):
    chat = open_demo()
    chat.open()
    chat.say("I'm a man and my wife hits me")
    chat.wait_for_reply(MENS_ADVICE_LINE)
    sender = chat.sender()

    leave(chat)
    chat.wait_until_left()

    chat.page.go_back()
    assert chat.page.url == "about:blank"  # Back skips the chat: location.replace took its place in history
    chat.page.goto(chat.demo_url)  # the same tab and origin, so the same sessionStorage
    chat.page.wait_for_selector(".app-chat-widget__launcher")
    assert chat.session_storage() == {}
    assert {"sender": sender} in chat.exit_beacons
    # With the conversation kept, a town alone would answer for the need already given (the Men's Advice Line).
    # The beacon is on its way while the browser leaves, so ask until the answer is fresh (or time runs out).
    deadline = time.monotonic() + 5
    while MENS_ADVICE_LINE in web_chat_reply(sender, "Aylesbury"):
        assert time.monotonic() < deadline, "the server still has the conversation"
        time.sleep(0.1)


def test_the_exit_button_stays_in_view_and_the_panel_explains_it_first(open_demo):
    chat = open_demo()
    chat.page.get_by_role("button", name="Chat with our online helper").click()
    intro = chat.panel.locator(".app-chat-widget__intro").inner_text()
    assert "Shift key 3 times" in intro and "does not erase your browsing history" in intro
    assert (
        chat.panel.get_by_role("link", name="Refuge: Secure your tech").get_attribute("href")
        == "https://refuge.org.uk/i-need-help-now/protect-yourself/secure-your-tech/"
    )
    chat.page.get_by_role("button", name="Start chat").click()
    chat.wait_for_reply("not an emergency service")
    chat.page.mouse.wheel(0, 5000)
    exit_button = chat.panel.get_by_role("button", name="Emergency Exit this page")
    assert exit_button.is_visible()
    box = exit_button.bounding_box()
    viewport = chat.page.viewport_size
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"]


def test_shift_presses_are_counted_and_announced_as_on_gov_uk(open_demo):
    chat = open_demo()
    status = chat.page.locator("[role=status].app-exit-this-page__visually-hidden")
    chat.page.keyboard.press("Shift")
    assert status.inner_text() == "Shift, press 2 more times to exit."
    chat.page.keyboard.press("Shift")
    assert status.inner_text() == "Shift, press 1 more time to exit."
    chat.page.keyboard.press("a")
    assert status.inner_text() == "Exit this page expired."
    for _ in range(3):
        chat.page.keyboard.press("Shift+A")  # Shift used for a capital letter is not a press of Shift alone
    chat.page.keyboard.press("Shift")
    assert status.inner_text() == "Shift, press 2 more times to exit."
    assert chat.page.url == chat.demo_url


def test_escape_in_the_chat_is_announced(open_demo):
    chat = open_demo()
    chat.open()
    chat.page.get_by_label("Your message").press("Escape")
    assert (
        chat.page.locator("[role=status].app-exit-this-page__visually-hidden").inner_text()
        == "Escape, press 1 more time to exit."
    )
    assert chat.page.url == chat.demo_url
