"""The widget's own words in the person's language: the page's <html lang> at first, then the conversation's as
each reply says, with lang and dir set for screen readers (right to left for Urdu and Arabic); 999 and the
helpline in that language when the assistant cannot be reached; English when the words cannot be fetched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.stack]

TEXTS = Path(__file__).resolve().parents[2] / "website" / "components" / "chat-widget" / "texts"
POLISH = json.loads((TEXTS / "pl.json").read_text(encoding="utf-8"))
URDU = json.loads((TEXTS / "ur.json").read_text(encoding="utf-8"))
WEB_CHAT_URL = "http://localhost:5005/webhooks/web/webhook"


def on_a_page_in(chat, language: str) -> None:
    """Loads the demo page again, as if the council had published it in `language`: its <html lang> is changed once
    the page is parsed, before the widget's deferred script runs. (A page fulfilled by the test instead would count
    as a public address to chromium, which then refuses its requests to the Rasa server on localhost.)"""
    chat.page.add_init_script(
        "document.addEventListener('readystatechange', () => { if (document.readyState === 'interactive') "
        f"document.documentElement.lang = '{language}' }})"
    )
    chat.page.goto(chat.demo_url)
    chat.page.wait_for_selector(".app-chat-widget__launcher")
    assert chat.page.evaluate("() => document.documentElement.lang") == language


def wait_for_language(chat, language: str) -> None:
    chat.page.wait_for_function(
        "(language) => document.querySelector('.app-chat-widget').lang === language", arg=language
    )


def widget(chat) -> dict[str, str]:
    """The widget's language, direction and words as the page shows them now."""
    return chat.page.evaluate("""() => {
        const root = document.querySelector('.app-chat-widget')
        const skipLink = document.querySelector('.app-exit-this-page__skiplink')
        return {lang: root.lang, dir: root.dir, title: root.querySelector('h2').textContent,
                label: root.querySelector('label').textContent,
                log: root.querySelector('[role=log]').getAttribute('aria-label'),
                exit: root.querySelector('.app-exit-this-page__button').textContent,
                skipLink: skipLink.textContent + ' ' + skipLink.lang + ' ' + skipLink.dir}
    }""")


def last_helper_message(chat) -> dict[str, str]:
    return chat.page.evaluate("""() => {
        const texts = document.querySelectorAll('.app-chat-widget__message--helper .app-chat-widget__message-text')
        const last = texts[texts.length - 1]
        return {text: last.textContent, lang: last.lang}
    }""")


def test_a_conversation_in_polish_puts_the_widget_in_polish_across_pages(open_demo):
    chat = open_demo()
    chat.open()
    assert widget(chat)["lang"] == "en"
    chat.say("Polski")
    chat.wait_for_reply("po polsku")
    wait_for_language(chat, "pl")
    exit_label = f"{POLISH['exit']['hidden']} {POLISH['exit']['label']}"
    assert widget(chat) == {
        "lang": "pl",
        "dir": "ltr",
        "title": POLISH["title"],
        "label": POLISH["label"],
        "log": POLISH["log"],
        "exit": exit_label,
        "skipLink": f"{exit_label} pl ltr",
    }
    assert last_helper_message(chat)["lang"] == "pl"

    chat.page.reload()  # the next page of the site: the conversation goes on in Polish
    wait_for_language(chat, "pl")
    chat.page.get_by_label(POLISH["label"]).fill("Jestem mężczyzną i żona mnie bije")
    chat.page.get_by_role("button", name=POLISH["send"]).click()
    chat.wait_for_reply("0808 801 0327")
    assert widget(chat)["title"] == POLISH["title"]
    chat.panel.get_by_role("button", name=exit_label).click()
    chat.wait_until_left()


def test_a_conversation_in_urdu_turns_the_widget_right_to_left(open_demo, axe_violations):
    chat = open_demo(bypass_csp=True)  # for axe
    chat.open()
    chat.say("اردو")
    chat.wait_for_reply("اردو میں")
    wait_for_language(chat, "ur")
    shown = widget(chat)
    assert (shown["lang"], shown["dir"], shown["title"], shown["label"]) == ("ur", "rtl", URDU["title"], URDU["label"])
    assert shown["skipLink"].endswith(" ur rtl")
    assert last_helper_message(chat)["lang"] == "ur"
    assert (
        chat.page.evaluate("() => getComputedStyle(document.querySelector('.app-chat-widget__panel')).direction")
        == "rtl"
    )
    assert axe_violations(chat.page) == []


def test_a_polish_page_starts_the_widget_and_the_conversation_in_polish(open_demo):
    chat = open_demo()
    on_a_page_in(chat, "pl-PL")
    chat.page.get_by_role("button", name=POLISH["open"]).click()
    assert chat.page.get_by_role("heading", name=POLISH["introTitle"]).is_visible()
    chat.page.get_by_role("button", name=POLISH["start"]).click()
    chat.wait_for_reply("Dzień dobry")  # greeted in the page's language, so the widget stays in it
    assert widget(chat)["lang"] == "pl" and last_helper_message(chat)["lang"] == "pl"


def test_when_the_assistant_cannot_be_reached_999_and_the_helpline_show_in_the_pages_language(open_demo):
    chat = open_demo()
    chat.page.route(WEB_CHAT_URL, lambda route: route.abort())
    on_a_page_in(chat, "ur")
    chat.page.get_by_role("button", name=URDU["open"]).click()
    chat.page.get_by_role("button", name=URDU["start"]).click()
    chat.wait_for_reply("0808 2000 247")
    assert last_helper_message(chat) == {"text": URDU["unavailable"], "lang": "ur"}
    assert all(number in URDU["unavailable"] for number in ("999", "55", "0808 2000 247"))


def test_without_its_translations_the_widget_works_in_english(open_demo):
    chat = open_demo()
    chat.page.route(
        "**/chat-widget/texts/*.json",
        lambda route: route.continue_() if route.request.url.endswith("/en.json") else route.abort(),
    )
    on_a_page_in(chat, "pl")
    chat.open_without_greeting()  # by its English names
    chat.wait_for_reply("Dzień dobry")
    assert widget(chat)["lang"] == "en" and widget(chat)["label"] == "Your message"


def test_without_even_its_english_words_the_widget_adds_nothing_and_the_page_keeps_999(open_demo):
    chat = open_demo()
    chat.page.route("**/chat-widget/texts/*.json", lambda route: route.abort())
    chat.page.goto(chat.demo_url)
    chat.page.wait_for_load_state("networkidle")
    assert chat.page.locator(".app-chat-widget, .app-exit-this-page__skiplink").count() == 0
    assert "999" in chat.page.locator("main").inner_text()
