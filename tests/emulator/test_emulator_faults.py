"""Fault injection of aws-emulator as botocore sees it: every service's
internal error at error rate 1, its throttling error (one botocore's retry
logic classes as throttling) at throttle rate 1, resets and cut-short answers
as transport errors, and the same failures for the same seed."""

import unittest

from emulator_process import EmulatorProcess, require_botocore

require_botocore()
import botocore.exceptions  # noqa: E402  (after require_botocore set AWS_DATA_PATH)
import botocore.retries.standard  # noqa: E402

CALLS = {
    "ecs": ("list_clusters", "ServerException", 500, "ThrottlingException", 400),
    "apprunner": ("list_services", "InternalServiceErrorException", 500, "ThrottlingException",
                  400),
    "amplify": ("list_apps", "InternalFailureException", 500, "LimitExceededException", 429),
    "appconfig": ("list_applications", "InternalServerException", 500, "ThrottlingException",
                  429),
    "serverlessrepo": ("list_applications", "InternalServerErrorException", 500,
                       "TooManyRequestsException", 429),
}


# One attempt: each call shows exactly the fault the emulator drew.
NO_RETRIES = {"total_max_attempts": 1}


def failure(client, op):
    try:
        getattr(client, op)()
        return None
    except botocore.exceptions.ClientError as e:
        return (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])


class FaultTest(unittest.TestCase):
    def test_error_rate_one_is_the_modeled_internal_error(self):
        with EmulatorProcess("--fault_error_rate", "1") as emu:
            for service, (op, code, status, _, _) in CALLS.items():
                client = emu.client(service, retries=NO_RETRIES)
                self.assertEqual(failure(client, op), (code, status), service)

    def test_throttle_rate_one_is_throttling_to_botocore(self):
        checker = botocore.retries.standard.ThrottledRetryableChecker()
        with EmulatorProcess("--fault_throttle_rate", "1") as emu:
            for service, (op, _, _, code, status) in CALLS.items():
                client = emu.client(service, retries=NO_RETRIES)
                try:
                    getattr(client, op)()
                    self.fail(f"{service}: no throttling error")
                except botocore.exceptions.ClientError as e:
                    self.assertEqual(e.response["Error"]["Code"], code, service)
                    self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], status)
                    context = botocore.retries.standard.RetryContext(
                        attempt_number=1, parsed_response=e.response)
                    self.assertTrue(checker.is_retryable(context), service)

    def test_resets_and_truncation_are_transport_errors(self):
        for flag in ("--fault_reset_rate", "--fault_truncate_rate"):
            with self.subTest(flag=flag), EmulatorProcess(flag, "1") as emu:
                ecs = emu.client("ecs", retries=NO_RETRIES)
                for _ in range(3):
                    try:
                        answer = ecs.list_clusters()
                        self.fail(f"{flag}: answered {answer}")
                    except botocore.exceptions.ClientError as e:
                        self.fail(f"{flag}: a service error, not a transport one: {e}")
                    except (botocore.exceptions.ConnectionError,
                            botocore.exceptions.HTTPClientError):
                        pass

    def test_latency_still_answers(self):
        with EmulatorProcess("--fault_latency", "20ms") as emu:
            ecs = emu.client("ecs", retries=NO_RETRIES)
            self.assertEqual(ecs.list_clusters()["clusterArns"], [])

    def test_same_seed_same_failures(self):
        def pattern(seed):
            with EmulatorProcess("--fault_error_rate", "0.5", "--fault_seed", seed) as emu:
                ecs = emu.client("ecs", retries=NO_RETRIES)
                return "".join("x" if failure(ecs, "list_clusters") else "." for _ in range(30))

        first = pattern("11")
        self.assertEqual(first, pattern("11"))
        self.assertIn("x", first)
        self.assertIn(".", first)
        self.assertNotEqual(first, pattern("12"))


if __name__ == "__main__":
    unittest.main()
