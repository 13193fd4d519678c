"""Every operation of every service, once: botocore sends a minimal valid
request (each required member filled with a plausible value of its shape)
and the emulator must answer 2xx or an error that operation or service
models, which botocore parses; never a 5xx or a transport error.

Prints the count (e.g. "sweep: 221/221 operations answered").
"""

import collections
import datetime
import unittest

from emulator_process import SERVICES, EmulatorProcess, require_botocore

require_botocore()
import botocore.config  # noqa: E402  (after require_botocore set AWS_DATA_PATH)
import botocore.exceptions  # noqa: E402
from botocore import xform_name  # noqa: E402


def plausible(shape, name="", depth=0):
    """A minimal value of `shape` that botocore's validator accepts."""
    kind = shape.type_name
    if kind == "structure":
        members = shape.members
        if shape.is_union if hasattr(shape, "is_union") else shape.metadata.get("union"):
            first = next(iter(members))
            return {first: plausible(members[first], first, depth + 1)}
        return {m: plausible(members[m], m, depth + 1)
                for m in shape.required_members if depth < 12}
    if kind == "list":
        count = max(1, shape.metadata.get("min", 1))
        return [plausible(shape.member, name, depth + 1) for _ in range(count)]
    if kind == "map":
        return {"sweep": plausible(shape.value, name, depth + 1)}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        low = shape.metadata.get("min", 1)
        high = shape.metadata.get("max", 1024)
        text = "sweep"
        if "arn" in name.lower():
            text = "arn:aws:sweep:us-west-2:111122223333:thing/sweep"
        text = text[:high] if len(text) > high else text
        return text + "x" * max(0, low - len(text))
    if kind in ("integer", "long"):
        low = shape.metadata.get("min", 1)
        high = shape.metadata.get("max", low)
        return int(min(max(low, 1), high)) if high >= 1 else int(low)
    if kind in ("float", "double"):
        return float(shape.metadata.get("min", 1))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    if kind == "blob":
        return b"sweep"
    return {}


class SweepTest(unittest.TestCase):
    def test_every_operation_answers_well_formed(self):
        answered, total, failures = 0, 0, []
        errors = collections.Counter()  # modeled error answers, by code
        with EmulatorProcess() as emu:
            for service in SERVICES:
                client = emu.session.create_client(
                    service, region_name=emu.region, endpoint_url=emu.url,
                    aws_access_key_id=emu.info["access_key_id"],
                    aws_secret_access_key=emu.info["secret_access_key"],
                    config=botocore.config.Config(retries={"max_attempts": 1},
                                                  inject_host_prefix=False, read_timeout=10))
                model = client.meta.service_model
                service_errors = {s.name for s in model.error_shapes}
                for op_name in model.operation_names:
                    total += 1
                    op = model.operation_model(op_name)
                    params = plausible(op.input_shape) if op.input_shape else {}
                    modeled = {e.name for e in op.error_shapes} | service_errors
                    try:
                        getattr(client, xform_name(op_name))(**params)
                        answered += 1
                    except botocore.exceptions.ClientError as e:
                        code = e.response["Error"]["Code"]
                        status = e.response["ResponseMetadata"]["HTTPStatusCode"]
                        if status < 500 and code in modeled:
                            answered += 1
                            errors[code] += 1
                        else:
                            failures.append(f"{service}.{op_name}: {status} {code} "
                                            f"{e.response['Error'].get('Message')}")
                    except Exception as e:  # transport or parse failure: always a bug
                        failures.append(f"{service}.{op_name}: {type(e).__name__}: {e}")
        print(f"sweep: {answered}/{total} operations answered "
              f"({answered - sum(errors.values())} 2xx, modeled errors: {dict(errors)})")
        self.assertEqual(total, 221)
        self.assertEqual(failures, [])
        self.assertEqual(answered, total)


if __name__ == "__main__":
    unittest.main()
