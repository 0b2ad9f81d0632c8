"""The assistant's languages, in one place for Python. The domain's `language` slot (YAML) and the web chat's
script (JavaScript) cannot import this, so tests/bot/test_channel_translations.py holds them equal to it."""

LANGUAGES = ("en", "pl", "ur", "pa", "ro", "pt", "ar", "bn")
RIGHT_TO_LEFT = frozenset({"ur", "ar"})
