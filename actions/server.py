"""Runs the action server bound to localhost (ACTION_SERVER_HOST to change), which `rasa run actions` cannot do."""
import os

from rasa_sdk.endpoint import create_app

from bot import privacy_logging


def main() -> None:
    privacy_logging.install()
    app = create_app("actions", cors_origins=None)
    app.run(host=os.environ.get("ACTION_SERVER_HOST", "127.0.0.1"),
            port=int(os.environ.get("ACTION_SERVER_PORT", "5055")),
            workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
