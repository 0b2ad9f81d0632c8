"""The figures every benchmark reports, computed one way, and where they are written: bench/results/<name>.md."""

from __future__ import annotations

import statistics
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(timings: list[float], elapsed: float) -> dict[str, float]:
    return {
        "messages": len(timings),
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "p99": percentile(timings, 0.99),
        "per_second": len(timings) / elapsed,
    }


def publish(name: str, lines: list[str]) -> None:
    """Prints the report and writes it to bench/results/<name>.md."""
    report = "\n".join(lines) + "\n"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.md").write_text(report, encoding="utf-8")
    print(report)
