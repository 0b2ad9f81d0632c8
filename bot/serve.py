"""Runs the Rasa command line with privacy-preserving logging and our Rasa speed-ups installed first:
`python -m bot.serve run ...`."""

import gc
import os
import sys

from bot import rasa_speedups
from common import privacy_logging

DEFAULT_ACTION_ENDPOINT = "http://localhost:5055/webhook"  # bot/endpoints.yml reads ACTION_ENDPOINT_URL
# Sanic refuses larger bodies with 413 before any channel reads them (Sanic's default is 100 MB). Every channel
# needs far less: a web or REST message is cut at MAX_MESSAGE_CHARS, a Twilio form is a few kilobytes.
MAX_REQUEST_BYTES = 64 * 1024


def main() -> None:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("ACTION_ENDPOINT_URL", DEFAULT_ACTION_ENDPOINT)
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(MAX_REQUEST_BYTES))  # Sanic reads SANIC_* settings
    privacy_logging.install()
    rasa_speedups.install()
    from rasa.__main__ import main as rasa_main

    # Rasa and its libraries leave millions of objects that live as long as the process. Frozen, the collector
    # no longer walks them, and its occasional full collection pauses every turn for about 30 ms, not 250.
    gc.freeze()
    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
