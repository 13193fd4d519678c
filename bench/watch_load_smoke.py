"""Smoke test of bench/watch_load: runs it at a tiny scale and checks that it
completes and prints its JSON line with every field. Checks no timing or
memory target: the machine is shared, and the numbers are the benchmark's
report, not a test's verdict. It does check what holds at any scale: every
stream got every change, no stream failed, and the pollers made calls.

    watch_load_smoke.py <watch_load binary> [its flags...]
"""

import json
import subprocess
import sys

NUMBERS = [
    "clusters", "tasks", "deployments", "streams", "task_streams", "deployment_streams",
    "channels", "interval_ms", "intervals", "steps",
    "calls_per_interval", "emulator_calls_per_interval", "gateway_polls_per_interval",
    "calls_target",
    "rss_none_mib", "anon_none_mib", "rss_per_resource_mib", "rss_all_mib", "anon_all_mib",
    "bytes_per_watcher", "anon_bytes_per_watcher", "bytes_per_resource_stream",
    "bytes_per_extra_stream",
    "delay_samples", "delay_missed", "delay_unexpected",
    "delay_p50_ms", "delay_p99_ms", "delay_max_ms", "delay_target_ms", "fanout_max_ms",
    "gateway_cpu_percent", "emulator_cpu_percent", "driver_cpu_percent",
    "machine_busy_percent", "load_average", "open_seconds", "failed_streams",
]
# Quantities that are positive in any run that watched anything.
POSITIVE = [
    "calls_per_interval", "gateway_polls_per_interval", "calls_target", "rss_none_mib",
    "rss_all_mib", "delay_samples", "delay_p99_ms",
]
BOOLEANS = ["calls_target_met", "memory_target_met", "delay_target_met"]
OBJECTS = ["calls_by_operation"]


def main(argv):
    run = subprocess.run(argv[1:], capture_output=True, text=True, timeout=300)
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    problems = []
    if run.returncode != 0:
        problems.append(f"watch_load exited with {run.returncode}")
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if len(lines) != 1:
        problems.append(f"expected one JSON line on stdout, got {len(lines)}")
    else:
        report = json.loads(lines[0])
        if report.get("bench") != "watch_load":
            problems.append("the JSON line does not name the bench")
        for key in NUMBERS:
            value = report.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(f"{key} is not a number: {value!r}")
        for key in POSITIVE:
            if isinstance(report.get(key), (int, float)) and not report[key] > 0:
                problems.append(f"{key} is not positive: {report[key]!r}")
        for key in BOOLEANS:
            if not isinstance(report.get(key), bool):
                problems.append(f"{key} is not a boolean: {report.get(key)!r}")
        for key in OBJECTS:
            if not isinstance(report.get(key), dict):
                problems.append(f"{key} is not an object: {report.get(key)!r}")
        if report.get("task_streams", 0) + report.get("deployment_streams", 0) != report.get(
                "streams"):
            problems.append("the streams do not add up")
        if report.get("delay_samples") != report.get("streams", 0) * report.get("steps", 0):
            problems.append("not every stream got a change at every step")
        for key in ["delay_missed", "delay_unexpected", "failed_streams"]:
            if report.get(key) != 0:
                problems.append(f"{key} is {report.get(key)!r}")
        unknown = set(report) - set(NUMBERS) - set(BOOLEANS) - set(OBJECTS) - {"bench"}
        if unknown:
            problems.append(f"fields this test does not know (add them): {sorted(unknown)}")
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
