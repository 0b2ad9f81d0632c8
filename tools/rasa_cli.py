"""Rasa's own commands with our settings: `make shell`, `make interactive` and `make rasa-test`.

Rasa runs through bot/serve.py, so our patches, the check of Rasa's internals, privacy logging and telemetry off
apply as in `make run`; the action server starts beside it on a spare port and stops with it.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tools import stack

MODEL = str(stack.MODEL)
COMMANDS = {
    "shell": ["shell", "--model", MODEL, "--endpoints", "bot/endpoints.yml"],
    "interactive": [
        "interactive",
        "--model",
        MODEL,
        "--config",
        "bot/config.yml",
        "--domain",
        "bot/domain",
        "--data",
        "data",
        "--endpoints",
        "bot/endpoints.yml",
    ],
    # The test stories and the held-out NLU sets, as tests/bot/test_dialogue.py and test_nlu_held_out.py read them.
    "test": [
        "test",
        "--model",
        MODEL,
        "--stories",
        "tests/stories",
        "--nlu",
        "tests/nlu",
        "--endpoints",
        "bot/endpoints.yml",
        "--out",
        "var/rasa-test",
        "--fail-on-prediction-errors",
    ],
}


def main() -> None:
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python -m tools.rasa_cli {{{','.join(COMMANDS)}}}")
    port = stack.spare_ports(1)[0]
    actions = next(part for part in stack.parts(actions_port=port) if part.name == "action server")
    stack.start(actions, output=subprocess.DEVNULL)
    try:
        stack.wait_until_ready([actions])
        env = {**os.environ, **stack.QUIET_ENV, "ACTION_ENDPOINT_URL": f"http://localhost:{port}/webhook"}
        command = [str(stack.BIN / "python"), "-m", "bot.serve", *COMMANDS[sys.argv[1]]]
        code = subprocess.call(command, cwd=stack.ROOT, env=env)
    finally:
        stack.stop(actions)
    sys.exit(code)


if __name__ == "__main__":
    main()
