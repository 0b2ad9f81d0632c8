"""The SMS webhook of the running stack, driven as Twilio drives it: signed form posts, TwiML answers."""

import json

import pytest
import requests

from bot.channels import pseudonym
from bot.channels.channel_texts import text as channel_text
from bot.channels.sms_text import MAX_SEGMENTS, encoding, in_reading_order, segments

from .conftest import messages_of, twilio_form

pytestmark = pytest.mark.stack

MENS_ADVICE_LINE = "0808 801 0327"
CLEARED = channel_text("cleared")
NEW_CONVERSATION_NOTICE = channel_text("new_conversation")


def within_budget(messages):
    return all(segments(m) <= MAX_SEGMENTS for m in messages)


def test_a_signed_message_gets_a_twiml_reply_that_starts_with_the_notice(twilio):
    messages = twilio.send(twilio.new_number(), "hi")
    text = "\n".join(messages)
    assert messages[0].startswith(NEW_CONVERSATION_NOTICE)
    assert "999" in text and "0808 2000 247" in text
    assert "Reply 1 for Yes, I can talk" in text and "Reply 2 for No, not now" in text
    assert within_budget(messages)


def test_requests_not_signed_by_twilio_are_403_and_never_reach_the_bot(twilio):
    number = twilio.new_number()
    form = twilio_form(number, "I'm a bloke and my wife hits me")
    attempts = {
        "forged": twilio.post(form, signature="bm90IGEgcmVhbCBzaWduYXR1cmU="),
        "other token": twilio.post(form, signature=twilio.sign(form, token="not-the-token")),
        "other fields": twilio.post(form, signature=twilio.sign({**form, "Body": "hi"})),
        "other url": twilio.post(form, signature=twilio.sign(form, url="https://elsewhere.example/webhook")),
        "missing header": twilio.post(form, signature=None),
    }
    assert {name: r.status_code for name, r in attempts.items()} == {name: 403 for name in attempts}
    assert all("<Message>" not in r.text for r in attempts.values())
    # None of them started a conversation: the next genuine message is the first one.
    reply = twilio.send(number, "I live in Aylesbury")
    assert reply[0].startswith(NEW_CONVERSATION_NOTICE) and MENS_ADVICE_LINE not in "\n".join(reply)


def test_a_retried_message_sid_is_answered_once(twilio):
    form = twilio_form(twilio.new_number(), "hi")
    assert messages_of(twilio.post(form))
    assert messages_of(twilio.post(form)) == []


def test_a_whole_conversation_reaches_a_service(twilio):
    number = twilio.new_number()
    greeting = twilio.send(number, "hi")
    assert "Reply 1 for Yes, I can talk" in "\n".join(greeting)
    menu = "\n".join(twilio.send(number, "1"))
    assert "Tell me what is happening" in menu and "Reply 1 for I'm worried about myself" in menu
    need = twilio.send(number, "I'm a bloke and my wife hits me")
    assert MENS_ADVICE_LINE in "\n".join(need) and "0808 2000 247" in "\n".join(need)
    local = twilio.send(number, "I live in Aylesbury")
    assert "near Aylesbury" in "\n".join(local)
    assert all(within_budget(reply) for reply in (greeting, need, local))


def test_numbered_replies_pick_the_offered_option(twilio):
    number = twilio.new_number()
    twilio.send(number, "hi")
    assert "Come back when it is safe" in twilio.text(number, "2")
    # No options were offered with that reply, so a number is just text now.
    assert "Come back when it is safe" not in twilio.text(number, "2")


@pytest.mark.parametrize("word", ["EXIT", "clear"])
def test_exit_wipes_the_conversation(twilio, word):
    number = twilio.new_number()
    assert MENS_ADVICE_LINE in twilio.text(number, "I'm a bloke and my wife hits me")
    assert twilio.send(number, word) == [CLEARED]
    after = twilio.send(number, "I live in Aylesbury")
    assert after[0].startswith(NEW_CONVERSATION_NOTICE) and MENS_ADVICE_LINE not in "\n".join(after)


@pytest.mark.parametrize(
    "body, opt_out_type", [("STOP", "STOP"), ("START", "START"), ("HELP", "HELP"), ("stop", None), ("YES", "START")]
)
def test_twilio_opt_out_keywords_get_no_reply_from_us(twilio, body, opt_out_type):
    assert twilio.send(twilio.new_number(), body, OptOutType=opt_out_type) == []


def test_stop_wipes_the_conversation(twilio):
    number = twilio.new_number()
    twilio.send(number, "I'm a bloke and my wife hits me")
    assert twilio.send(number, "STOP", OptOutType="STOP") == []
    assert twilio.send(number, "hi")[0].startswith(NEW_CONVERSATION_NOTICE)


def test_danger_fits_the_english_budget_with_999_55_and_18000_first(twilio):
    messages = twilio.send(twilio.new_number(), "he's got a knife")
    assert all(encoding(m) == "gsm7" for m in messages) and within_budget(messages)
    assert all(part in messages[0] for part in ("999", "55", "18000"))


def test_urdu_replies_fit_the_ucs2_budget(twilio):
    number = twilio.new_number()
    twilio.send(number, "hi")
    choices = twilio.send(number, "3")  # Another language: the languages, each named in its own script
    assert "Reply 3 for اردو" in "\n".join(choices)
    assert any(encoding(m) == "ucs2" for m in choices)
    for reply in (choices, twilio.send(number, "3"), twilio.send(number, "اگر آپ خطرے میں ہیں تو 999 پر کال کریں۔")):
        assert reply and within_budget(reply)
        assert all(len(m) <= MAX_SEGMENTS * 67 for m in reply if encoding(m) == "ucs2")


@pytest.mark.parametrize(
    "body, media",
    [
        (None, {}),
        ("", {}),
        ("   ", {}),
        (
            "",
            {
                "NumMedia": "1",
                "MediaContentType0": "image/jpeg",
                "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0",
            },
        ),
    ],
)
def test_no_text_gets_a_calm_reply(twilio, body, media):
    text = twilio.text(twilio.new_number(), body, **media)
    assert "999" in text and "0808 2000 247" in text


@pytest.mark.parametrize(
    "body",
    [
        "help " * 1000,  # 5,000 characters
        "🙂🙂🙂 he hurt me 🙂",
        "\u202eeno sdrawkcab\u202c and a zero\u200bwidth space",
        "nul\x00byte and \x07 bell",
        "Z̸̢̛a̷̗͐l̶̨̛g̷̣̈o̸͙͝ text",
        "\ufeffbyte order mark",
        "<Response><Message>injected</Message></Response> & <![CDATA[x]]>",
    ],
)
def test_odd_bodies_get_a_calm_reply_within_the_budget(twilio, body):
    messages = twilio.send(twilio.new_number(), body)
    assert messages and within_budget(messages)
    assert not any("injected" in m for m in messages)


@pytest.mark.parametrize(
    "content_type, body, status",
    [
        ("application/json", json.dumps({"Body": "hi", "From": "+447700900999"}).encode(), 415),
        ("text/plain", b"hi", 415),
        ("application/x-www-form-urlencoded", b"Body=\xff\xfe&From=%2B447700900999", 400),
        ("application/x-www-form-urlencoded", b"Body=%ED%A0%80&From=%2B447700900999", 400),  # a lone surrogate
    ],
)
def test_malformed_requests_are_4xx_without_a_traceback(twilio, content_type, body, status):
    response = twilio.post({}, signature="anything", body=body, content_type=content_type)
    assert response.status_code == status and "Traceback" not in response.text


def test_a_signed_request_without_from_is_400(twilio):
    form = twilio_form(twilio.new_number(), "hi")
    del form["From"]
    assert twilio.post(form).status_code == 400


def test_the_conversation_is_kept_under_the_keyed_hash_of_the_number(rasa_stack, twilio):
    number = twilio.new_number()
    twilio.send(number, "I'm a bloke and my wife hits me")
    # The REST channel takes any sender id: under the hash, it continues the SMS conversation.
    hashed = pseudonym.sender_id(number, rasa_stack.sender_hash_secret.encode())
    assert "near Aylesbury" in rasa_stack.reply_text(hashed, "I live in Aylesbury")
    assert MENS_ADVICE_LINE in rasa_stack.reply_text(hashed, "I live in Aylesbury")


def test_the_number_never_appears_in_the_logs(rasa_stack, twilio):
    number = twilio.new_number()
    for body in ("hi", "1", "he's got a knife", "", "exit", "x" * 5000):
        twilio.send(number, body)
    twilio.post(twilio_form(number, "forged"), signature="forged")
    requests.get(rasa_stack.sms_url.rsplit("/", 1)[0], timeout=10).raise_for_status()
    log = rasa_stack.log_path.read_text(errors="replace")
    for used in twilio.numbers_used:
        digits = used.removeprefix("+44")
        assert not any(form in log for form in (used, "44" + digits, "0" + digits, digits, "%2B44" + digits))


def test_a_polish_texter_gets_the_channels_own_texts_in_polish(twilio):
    number = twilio.new_number()
    greeting = twilio.send(number, "Dzień dobry")
    assert greeting[0].startswith(channel_text("new_conversation", "pl"))
    assert "Wyślij 1: Tak, mogę rozmawiać" in "\n".join(greeting) and within_budget(greeting)
    assert twilio.send(number, "EXIT") == [channel_text("cleared", "pl")]


def test_an_urdu_texter_gets_the_notice_in_urdu_within_the_budget(twilio):
    greeting = twilio.send(twilio.new_number(), "السلام علیکم، کیا آپ میری مدد کر سکتے ہیں؟")
    notice = in_reading_order(channel_text("new_conversation", "ur"), "ur")
    assert greeting[0].startswith(notice) and within_budget(greeting)
