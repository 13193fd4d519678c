"""Smoke test of bench/gateway_load: runs it with tiny phases and checks that
it completes and prints its JSON line with every field. Checks no timing:
the machine is shared, and the numbers are the benchmark's report, not a
test's verdict.

    gateway_load_smoke.py <gateway_load binary> [its flags...]
"""

import json
import subprocess
import sys

NUMBERS = [
    "seconds", "concurrency",
    "direct_c1_p50_us", "direct_c1_p99_us", "direct_c1_calls_per_s",
    "health_c1_p50_us", "health_c1_p99_us",
    "gateway_c1_p50_us", "gateway_c1_p99_us", "gateway_c1_calls_per_s",
    "gateway_added_p50_us", "grpc_hop_p50_us",
    "direct_cn_calls_per_s", "direct_cn_p50_us", "direct_cn_p99_us",
    "health_cn_calls_per_s",
    "gateway_cn_calls_per_s", "gateway_cn_p50_us", "gateway_cn_p99_us",
    "throughput_ratio", "health_throughput_ratio",
    "gateway_cpu_us_per_call", "gateway_c1_cpu_us_per_call",
    "driver_direct_cpu_us_per_call", "driver_gateway_cpu_us_per_call", "rss_idle_mib",
    "inflight_calls", "inflight_max", "rss_inflight_mib", "rss_wave_peak_mib",
    "inflight_ok", "inflight_failed",
    "gateway_cpu_budget_us", "health_cpu_us_per_call", "health_c1_cpu_us_per_call",
    "gateway_switches_per_call", "gateway_c1_switches_per_call", "health_switches_per_call",
    "health_c1_switches_per_call", "throughput_ratio_ceiling",
]
# Quantities that are positive in any run that made calls at all.
POSITIVE = [
    "direct_c1_p50_us", "health_c1_p50_us", "gateway_c1_p50_us",
    "direct_cn_calls_per_s", "health_cn_calls_per_s", "gateway_cn_calls_per_s",
    "throughput_ratio", "rss_idle_mib", "rss_inflight_mib", "inflight_max", "inflight_ok",
]
BOOLEANS = ["added_p50_target_met", "throughput_target_met"]


def main(argv):
    run = subprocess.run(argv[1:], capture_output=True, text=True, timeout=300)
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    problems = []
    if run.returncode != 0:
        problems.append(f"gateway_load exited with {run.returncode}")
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if len(lines) != 1:
        problems.append(f"expected one JSON line on stdout, got {len(lines)}")
    else:
        report = json.loads(lines[0])
        if report.get("bench") != "gateway_load":
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
        if report.get("inflight_ok", 0) + report.get("inflight_failed", 0) != report.get(
                "inflight_calls"):
            problems.append("the in-flight wave's calls do not add up")
        unknown = set(report) - set(NUMBERS) - set(BOOLEANS) - {"bench"}
        if unknown:
            problems.append(f"fields this test does not know (add them): {sorted(unknown)}")
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
