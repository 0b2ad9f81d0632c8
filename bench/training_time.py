"""Full training time of the assistant (all languages) on this machine.

    .venv/bin/python -m bench.training_time

Goal (issue 4): at most 4 minutes on 2 cores. Writes bench/results/training_time.md.
"""

import subprocess
import tempfile
import time
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from bench.figures import publish

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [
                str(ROOT / ".venv/bin/rasa"),
                "train",
                "--config",
                "bot/config.yml",
                "--domain",
                "bot/domain",
                "--data",
                "data",
                "--out",
                out,
                "--force",
            ],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
    examples = len(load_data(str(ROOT / "data/nlu")).intent_examples)
    publish(
        "training_time",
        [
            "# Training time",
            "",
            "| NLU examples | languages | seconds |",
            "|---|---|---|",
            f"| {examples} | {len(list((ROOT / 'data/nlu').iterdir()))} | {seconds:.0f} |",
        ],
    )


if __name__ == "__main__":
    main()
