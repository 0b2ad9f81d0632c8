"""Runs the Rasa command line with privacy-preserving logging installed first: `python -m bot.serve run ...`."""
import os
import sys

from bot import privacy_logging


def main() -> None:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    privacy_logging.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
