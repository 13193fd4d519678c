"""Smoke test of bench/gateway_load: runs it with tiny phases and checks that
it completes and prints its JSON line with every field. Checks no timing:
the machine is shared, and the numbers are the benchmark's report, not a
test's verdict.

    gateway_load_smoke.py <gateway_load binary> [its flags...]
"""

import sys

import smoke_report

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


def more_checks(report):
    if report.get("inflight_ok", 0) + report.get("inflight_failed", 0) != report.get(
            "inflight_calls"):
        return ["the in-flight wave's calls do not add up"]
    return []


if __name__ == "__main__":
    sys.exit(smoke_report.check(sys.argv[1:], "gateway_load", NUMBERS, POSITIVE, BOOLEANS,
                                more_checks=more_checks))
