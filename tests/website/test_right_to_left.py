"""Urdu and Arabic replies read right to left on screen even when they start with a Latin name, and 999 keeps its
place among the words around it. Measured where chromium draws each word, not from the markup."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WEB_CHAT_URL = "http://localhost:5005/webhooks/web/webhook"
# Each reply starts with a Latin name, which under dir=auto would have made the whole line left to right.
REPLIES = {
    # Short enough to be drawn on one line, so that left and right are the whole story.
    "ur": ("Clare's Law: خطرہ ہو تو 999 پر کال کریں۔", "تو", "پر"),
    "ar": ("Silent Solution: اتصل بالرقم 999 فورا.", "بالرقم", "فورا"),
}
# Where the words are drawn: the left edge and the top of each one's first occurrence in the last reply.
LEFT_EDGES = """(words) => {
    const texts = document.querySelectorAll('.app-chat-widget__message--helper .app-chat-widget__message-text')
    const reply = texts[texts.length - 1]
    const edges = {}
    for (const word of words) {
        const walker = document.createTreeWalker(reply, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(word)
            if (at < 0) continue
            const range = document.createRange()
            range.setStart(node, at)
            range.setEnd(node, at + word.length)
            const box = range.getBoundingClientRect()
            edges[word] = [box.left, box.top]
            break
        }
    }
    return {edges, dir: getComputedStyle(reply).direction}
}"""


@pytest.mark.parametrize("language", sorted(REPLIES))
def test_a_reply_starting_with_a_latin_name_reads_right_to_left(open_demo, language):
    reply, before, after = REPLIES[language]
    chat = open_demo()
    body = json.dumps([{"recipient_id": "x", "text": reply, "language": language}])

    def answer(route):
        if route.request.method == "POST":
            route.fulfill(
                status=200,
                content_type="application/json",
                body=body,
                headers={"Access-Control-Allow-Origin": chat.demo_url.rstrip("/")},
            )
        else:
            route.continue_()

    chat.page.route(WEB_CHAT_URL, answer)
    chat.open_without_greeting()
    chat.wait_for_reply("999")
    name = reply.split(":")[0]
    drawn = chat.page.evaluate(LEFT_EDGES, [name, before, "999", after])
    lefts = {word: left for word, (left, _) in drawn["edges"].items()}
    assert drawn["dir"] == "rtl"
    assert len({top for _, top in drawn["edges"].values()}) == 1, f"the reply wrapped: {drawn['edges']}"
    # Right to left: the word before 999 in reading order is drawn to its right, the word after it to its left,
    # and the Latin name the reply starts with is the rightmost of all.
    assert lefts[name] > lefts[before] > lefts["999"] > lefts[after], lefts
