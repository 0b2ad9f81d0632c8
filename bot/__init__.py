"""The Rasa assistant: configuration, domain, custom NLU components, channels and tracker store."""
