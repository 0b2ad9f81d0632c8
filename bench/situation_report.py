"""Situation labels per language on the held-out sets (tests/situation/): recall and precision of each label,
and the phrase book's recall alone. `python -m bench.situation_report [--wrong]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rasa.core.agent import Agent

from bench.profile_turns import quiet_rasa
from tools import stack
from tools.situation_sets import LABELS, Counts, measure

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", action="store_true", help="list the messages labelled wrongly")
    args = parser.parse_args()
    quiet_rasa()
    agent = Agent.load(str(stack.MODEL))
    overall = Counts()
    for path in sorted((ROOT / "tests/situation").glob("*.yml")):
        counts = measure(agent, path)
        overall.add(counts)
        print(f"\n{path.stem}")
        for label in LABELS:
            print("  " + counts.line(label))
        if args.wrong:
            print("".join(f"    wrong: {text}\n" for text in counts.wrong), end="")
    print(f"\noverall: recall {overall.recall():.3f}, precision {overall.precision():.3f} (all labels together)")
    for label in LABELS:
        print("  " + overall.line(label))


if __name__ == "__main__":
    main()
