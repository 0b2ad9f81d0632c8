"""What the fuzz tests send: any unicode (lone surrogates too), control characters, realistic messages and Rasa's
/intent{...} payloads, JSON of every shape, raw bytes, wrong content types and methods, odd paths and queries."""

from __future__ import annotations

import json
from urllib.parse import quote

import yaml
from hypothesis import strategies as st

from tools import stack

INTENTS = yaml.safe_load((stack.ROOT / "bot" / "domain" / "core.yml").read_text(encoding="utf-8"))["intents"]
ENTITIES = ["need", "place", "abuse_type", "language", "writing"]

any_char = st.characters(exclude_categories=())  # every code point, lone surrogates included
control_char = st.characters(max_codepoint=0x1F) | st.sampled_from("\x7f\x85\u200b\u200e\u202e\u2028\u2029\ufeff")
any_text = st.text(any_char | control_char, max_size=40)
encodable_text = st.text(st.characters(codec="utf-8") | control_char, max_size=40)  # no lone surrogates

phrases = st.sampled_from(
    [
        "hi",
        "help",
        "I'm a bloke and my wife hits me",
        "my husband hurts me",
        "she's got a knife",
        "999",
        "ANI",
        "exit",
        "EXIT",
        "clear",
        "STOP",
        "I live in Aylesbury",
        "HP19",
        "M1 1AE",
        "Wycombe",
        "1",
        "2",
        "99",
        "0",
        "yes",
        "no",
        "español",
        "polski",
        "میرا شوہر مجھے مارتا ہے",
        "زوجي يضربني",
        "mój mąż mnie bije",
        "ਮੇਰਾ ਪਤੀ",
        "স্বামী",
        "meu marido me bate",
        "soțul meu mă bate",
        "mera shohar mujhe marta hai",
        "<script>alert(1)</script>",
        "{{7*7}}",
        "${jndi:ldap://x}",
        "'; DROP TABLE services; --",
        "%s%s%n",
        "\\x00",
        "../../etc/passwd",
    ]
)
json_scalar = st.none() | st.booleans() | st.integers() | st.floats() | any_text
json_value = st.recursive(
    json_scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4), max_leaves=12
)
entities = st.dictionaries(st.sampled_from(ENTITIES) | any_text, json_value, max_size=3)
payloads = st.builds(
    lambda intent, extra: f"/{intent}{extra}",
    st.sampled_from(INTENTS) | any_text,
    st.just("") | entities.map(json.dumps) | any_text | st.sampled_from(["{", "[]", "{}", "@0.5"]),
)
long_text = st.builds(
    lambda base, count: base * count, st.sampled_from(["x", "help ", "ü", "😀", "\u0301"]), st.integers(900, 3000)
)
# A lone surrogate is one code point in a million: any_text alone would hardly ever send one.
with_lone_surrogate = st.tuples(any_text, st.characters(categories=["Cs"]), any_text).map("".join)
message_text = st.one_of(
    any_text, phrases, st.lists(phrases | any_text, max_size=4).map(" ".join), payloads, long_text, with_lone_surrogate
)
senders = st.one_of(
    st.uuids().map(str),
    st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=128),
    st.text(any_char | control_char, max_size=130),
)
web_senders = st.from_regex(r"[A-Za-z0-9_-]{16,64}", fullmatch=True)

# What a header can hold: Latin-1, no line breaks, nothing but a value starting with a visible character.
header_values = st.text(st.characters(max_codepoint=0xFF, exclude_characters="\r\n"), max_size=40).filter(
    lambda value: value == "" or not value[0].isspace()
)
content_types = (
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=utf-16",
            "text/plain",
            "text/plain;charset=UTF-8",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "application/xml",
            "text/html",
            "application/octet-stream",
            "",
            "*/*",
            "application/json; boundary=",
        ]
    )
    | header_values
)


def as_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # lone surrogates become bytes no UTF-8 decoder accepts


bodies = st.one_of(
    json_value.map(json.dumps).map(as_bytes),
    st.builds(
        lambda sender, message: as_bytes(json.dumps({"sender": sender, "message": message})), json_value, json_value
    ),
    st.binary(max_size=400),
    any_text.map(as_bytes),
    st.sampled_from(
        [
            b"",
            b"{",
            b'{"sender":',
            b"[]",
            b"null",
            b"NaN",
            b'"x"',
            b"\xff\xfe{\x00}",
            b'{"sender": "a", "message": "\\ud800"}',
            b'{"sender": "a"' + b" " * 70000 + b"}",
        ]
    ),
)
methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND"])
path_segment = st.sampled_from(
    [
        "",
        ".",
        "..",
        "webhook",
        "exit",
        "rest",
        "web",
        "sms",
        "webhooks",
        "%00",
        "%ff",
        "%2e%2e",
        "admin",
        "services",
        "static",
        "assets",
        "index.html",
        "~",
        ";x=1",
    ]
) | any_text.map(lambda text: quote(as_bytes(text), safe=""))
paths = st.lists(path_segment, max_size=5).map(lambda segments: "/" + "/".join(segments))
query_strings = st.one_of(
    st.just(""),
    st.dictionaries(
        st.sampled_from(["page", "per_page", "search", "q", "status", "next", "stream", "taxonomy_term_id"])
        | encodable_text,
        st.integers().map(str)
        | encodable_text
        | st.sampled_from(["-1", "0", "1e9", "9" * 30, "١٢", "NaN", "inf", "", " 2", "0x10", "true", "%", "_"]),
        max_size=4,
    ).map(
        lambda fields: "&".join(
            f"{quote(as_bytes(name), safe='')}={quote(as_bytes(value), safe='')}" for name, value in fields.items()
        )
    ),
    any_text.map(lambda text: quote(as_bytes(text), safe="=&")),
)

# SMS: what Twilio could send (valid UTF-8, Twilio's own fields) and what anyone else could.
valid_text = message_text.map(lambda text: text.encode("utf-8", "replace").decode("utf-8"))
phone_numbers = st.one_of(
    st.integers(0, 999).map(lambda n: f"+447700900{n:03d}"),
    st.sampled_from(
        [
            "07700 900123",
            "+1 202 555 0101",
            "12345",
            "whatsapp:+447700900923",
            "",
            " ",
            "+",
            "0",
            "+44",
            "anonymous",
            "+447700900923+447700900924",
        ]
    ),
    encodable_text,
)
twilio_fields = st.fixed_dictionaries(
    {"From": phone_numbers, "Body": valid_text},
    optional={
        "MessageSid": st.sampled_from(["SM1", "SM2", ""])
        | encodable_text
        | st.uuids().map(lambda uuid: "SM" + uuid.hex),
        "OptOutType": st.sampled_from(["STOP", "START", "HELP", "stop", "", "OTHER"]) | encodable_text,
        "NumMedia": st.sampled_from(["0", "1", "10", "-1", "x"]),
        "MediaUrl0": encodable_text,
        "To": st.just("+441494000000"),
        "AccountSid": st.just("AC" + "0" * 32),
    },
).flatmap(lambda form: st.dictionaries(encodable_text, encodable_text, max_size=3).map(lambda extra: {**extra, **form}))
hosts = (
    st.sampled_from(
        [
            "localhost:5005",
            "localhost:99999",
            "localhost:abc",
            "[::1]:5005",
            "[bad",
            "",
            "a" * 300,
            "localhost:5005:1",
            "exa mple.com",
            "localhost:-1",
        ]
    )
    | header_values
)
