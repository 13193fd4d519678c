"""Smoke test of bench/watch_load: runs it at a tiny scale and checks that it
completes and prints its JSON line with every field. Checks no timing or
memory target: the machine is shared, and the numbers are the benchmark's
report, not a test's verdict. It does check what holds at any scale: every
stream got every change, no stream failed, and the pollers made calls.

    watch_load_smoke.py <watch_load binary> [its flags...]
"""

import sys

import smoke_report

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


def more_checks(report):
    problems = []
    if report.get("task_streams", 0) + report.get("deployment_streams", 0) != report.get(
            "streams"):
        problems.append("the streams do not add up")
    if report.get("delay_samples") != report.get("streams", 0) * report.get("steps", 0):
        problems.append("not every stream got a change at every step")
    for key in ["delay_missed", "delay_unexpected", "failed_streams"]:
        if report.get(key) != 0:
            problems.append(f"{key} is {report.get(key)!r}")
    return problems


if __name__ == "__main__":
    sys.exit(smoke_report.check(sys.argv[1:], "watch_load", NUMBERS, POSITIVE, BOOLEANS, OBJECTS,
                                more_checks))
