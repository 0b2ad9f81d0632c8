"""Danger recall per language: the held-out sets (tests/danger/, which the test suite holds at 1.0) and the fresh
sets (bench/danger_fresh/, written later by other writers and never used to fix a miss), with the classifier's
recall alone beside each. `python -m bench.danger_recall [--misses]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rasa.core.agent import Agent

from bench.profile_turns import quiet_rasa
from tools import stack
from tools.danger_sets import measure

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"held-out (tests/danger)": ROOT / "tests/danger", "fresh (bench/danger_fresh)": ROOT / "bench/danger_fresh"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the messages missed")
    args = parser.parse_args()
    quiet_rasa()
    agent = Agent.load(str(stack.MODEL))
    for title, folder in FOLDERS.items():
        results = [measure(agent, path) for path in sorted(folder.glob("*.yml"))]
        total = sum(r.total for r in results)
        caught = sum(r.total - len(r.missed) for r in results)
        alone = sum(r.alone for r in results)
        share, alone_share = caught / max(1, total), alone / max(1, total)
        print(f"\n{title}: recall {caught}/{total} = {share:.3f}; classifier alone {alone_share:.3f}")
        for result in results:
            print("  " + result.summary())
            if args.misses:
                print("".join(f"    missed: {text}\n" for text in result.missed), end="")


if __name__ == "__main__":
    main()
