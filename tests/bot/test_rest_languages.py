"""End to end through the REST channel in every language: the reply comes in the person's language (by its
script for non-Latin languages, by langdetect for the others) and carries the right numbers."""

import unicodedata
import uuid

import pytest
from langdetect import DetectorFactory, detect_langs

pytestmark = pytest.mark.stack

DANGER, HELPLINE, MENS_ADVICE_LINE = "999", "0808 2000 247", "0808 801 0327"

# (language, someone in danger now, someone asking for help, a man whose wife hits him), written for this test.
MESSAGES = [
    (
        "pl",
        "on ma nóż i grozi że mnie zabije",
        "mój mąż mnie bije i nie wiem co robić",
        "jestem facetem i żona mnie bije",
    ),
    (
        "ro",
        "are un cuțit și zice că mă omoară",
        "soțul meu mă bate și nu știu ce să fac",
        "sunt bărbat și soția mea mă bate",
    ),
    (
        "pt",
        "ele tem uma faca e diz que me vai matar",
        "o meu marido bate-me e não sei o que fazer",
        "sou homem e a minha mulher bate-me",
    ),
    ("ar", "معه سكين ويقول إنه سيقتلني", "زوجي يضربني ولا أعرف ماذا أفعل", "أنا رجل وزوجتي تضربني"),
    (
        "ur",
        "اس کے پاس چاقو ہے اور کہتا ہے مجھے مار دے گا",
        "میرا شوہر مجھے مارتا ہے، سمجھ نہیں آتا کیا کروں",
        "میں مرد ہوں اور میری بیوی مجھے مارتی ہے",
    ),
    (
        "pa",
        "ਉਹਦੇ ਕੋਲ ਚਾਕੂ ਹੈ ਤੇ ਕਹਿੰਦਾ ਮੈਨੂੰ ਮਾਰ ਦੇਵੇਗਾ",
        "ਮੇਰਾ ਘਰਵਾਲਾ ਮੈਨੂੰ ਕੁੱਟਦਾ ਹੈ, ਸਮਝ ਨਹੀਂ ਆਉਂਦੀ ਕੀ ਕਰਾਂ",
        "ਮੈਂ ਬੰਦਾ ਹਾਂ ਤੇ ਮੇਰੀ ਘਰਵਾਲੀ ਮੈਨੂੰ ਕੁੱਟਦੀ ਹੈ",
    ),
    ("bn", "ওর হাতে ছুরি, বলছে আমাকে মেরে ফেলবে", "আমার স্বামী আমাকে মারে, কী করব বুঝতে পারছি না", "আমি পুরুষ, আমার বউ আমাকে মারে"),
]
URDU_ONLY_LETTERS = set("ےٹڈڑںہیکگ")  # Urdu's own letters (and forms): Arabic text has none of them
SCRIPT_NAMES = {"ar": "ARABIC", "ur": "ARABIC", "pa": "GURMUKHI", "bn": "BENGALI"}


def letters(text: str) -> list[str]:
    return [char for char in text if char.isalpha()]


def written_in(text: str, language: str) -> bool:
    """Most letters in the language's script (and Urdu's letters told from Arabic's), or langdetect's top guess."""
    if language in SCRIPT_NAMES:
        own = [c for c in letters(text) if unicodedata.name(c, "").startswith(SCRIPT_NAMES[language])]
        in_script = len(own) > 0.5 * len(letters(text))
        has_urdu_letters = bool(URDU_ONLY_LETTERS & set(text))
        return in_script and {"ur": has_urdu_letters, "ar": not has_urdu_letters}.get(language, True)
    DetectorFactory.seed = 0
    return detect_langs(text)[0].lang == language


def reply(rasa_stack, message: str) -> str:
    return rasa_stack.reply_text(uuid.uuid4().hex, message)


@pytest.mark.parametrize("language, danger, _help, _man", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_danger_gets_999_in_the_persons_language(rasa_stack, language, danger, _help, _man):
    answer = reply(rasa_stack, danger)
    assert DANGER in answer and "55" in answer
    assert written_in(answer, language), answer


@pytest.mark.parametrize("language, _danger, help_, _man", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_asking_for_help_gets_the_helpline_in_the_persons_language(rasa_stack, language, _danger, help_, _man):
    answer = reply(rasa_stack, help_)
    assert HELPLINE in answer
    assert written_in(answer, language), answer


@pytest.mark.parametrize("language, _danger, _help, man", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_a_male_victim_reaches_the_mens_advice_line_in_his_language(rasa_stack, language, _danger, _help, man):
    answer = reply(rasa_stack, man)
    assert MENS_ADVICE_LINE in answer and HELPLINE in answer
    assert written_in(answer, language), answer


def test_roman_urdu_is_understood_and_offered_english_or_urdu(rasa_stack):
    answer = reply(rasa_stack, "mera shohar mujhe marta hai mujhe madad chahiye")
    assert HELPLINE in answer
    assert "اردو" in answer and "English" in answer
