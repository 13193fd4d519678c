"""What the benchmarks' smoke tests share: run the benchmark, echo its
output, and check its one JSON line field by field (no timing verdicts)."""

import json
import subprocess
import sys


def check(argv, bench, numbers, positive, booleans, objects=(), more_checks=None):
    """Runs argv; returns the exit code for the smoke test. `more_checks(report)`
    returns a list of problems specific to the benchmark."""
    run = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    problems = []
    if run.returncode != 0:
        problems.append(f"{bench} exited with {run.returncode}")
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if len(lines) != 1:
        problems.append(f"expected one JSON line on stdout, got {len(lines)}")
    else:
        report = json.loads(lines[0])
        if report.get("bench") != bench:
            problems.append("the JSON line does not name the bench")
        for key in numbers:
            value = report.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(f"{key} is not a number: {value!r}")
        for key in positive:
            if isinstance(report.get(key), (int, float)) and not report[key] > 0:
                problems.append(f"{key} is not positive: {report[key]!r}")
        for key in booleans:
            if not isinstance(report.get(key), bool):
                problems.append(f"{key} is not a boolean: {report.get(key)!r}")
        for key in objects:
            if not isinstance(report.get(key), dict):
                problems.append(f"{key} is not an object: {report.get(key)!r}")
        if more_checks is not None:
            problems.extend(more_checks(report))
        unknown = set(report) - set(numbers) - set(booleans) - set(objects) - {"bench"}
        if unknown:
            problems.append(f"fields this test does not know (add them): {sorted(unknown)}")
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0
