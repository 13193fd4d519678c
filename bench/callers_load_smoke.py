"""Smoke test of bench/callers_load: tiny phases; checks that it completes,
that the guarded gateway's calls all succeeded, and that its JSON line has
every field. No timing verdicts (shared machines).

    callers_load_smoke.py <callers_load binary> [its flags...]
"""

import sys

import smoke_report

NUMBERS = ["seconds", "rounds", "concurrency", "statements", "open_cpu_us_per_call",
           "guarded_cpu_us_per_call", "added_cpu_us_per_call", "cpu_ratio", "open_calls_per_s",
           "guarded_calls_per_s", "failures"]
POSITIVE = ["open_cpu_us_per_call", "guarded_cpu_us_per_call", "open_calls_per_s",
            "guarded_calls_per_s"]
BOOLEANS = ["added_cpu_target_met"]


def more_checks(report):
    return [] if report.get("failures") == 0 else ["calls failed"]


if __name__ == "__main__":
    sys.exit(smoke_report.check(sys.argv[1:], "callers_load", NUMBERS, POSITIVE, BOOLEANS,
                                more_checks=more_checks))
