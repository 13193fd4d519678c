"""Every action through the gateway: for each of the five services' rpcs, a
grpcio client sends a minimal valid request (every required member filled
with a plausible value, from the protos' own member options) through the real
gateway to aws-emulator. Each call must come back OK or as the AWS error the
emulator answered (its request id in the trailing metadata): the gateway
translated, signed and sent the request and read the answer, whatever the
operation. Never INTERNAL, UNKNOWN, UNAVAILABLE or a gateway-side refusal.

Prints the count (e.g. "gateway sweep: 221/221 actions reached AWS")."""

import collections
import os
import sys
import unittest

import grpc
from google.protobuf import descriptor

from emulator_process import REPO, EmulatorProcess

PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(REPO, "build", "python"))
sys.path.insert(0, PYTHON_OUT)
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))

from gateway_process import GatewayProcess  # noqa: E402
from awsgw import options_pb2  # noqa: E402
from aws.amplify.v1 import amplify_pb2  # noqa: E402
from aws.appconfig.v1 import appconfig_pb2  # noqa: E402
from aws.apprunner.v1 import apprunner_pb2  # noqa: E402
from aws.ecs.v1 import ecs_pb2  # noqa: E402
from aws.serverlessrepo.v1 import serverlessrepo_pb2  # noqa: E402

MODULES = [amplify_pb2, appconfig_pb2, apprunner_pb2, ecs_pb2, serverlessrepo_pb2]
FD = descriptor.FieldDescriptor


def member(field):
    return field.GetOptions().Extensions[options_pb2.member]


def fill(message, depth=0):
    """Sets every required member of `message` to a plausible value."""
    for field in message.DESCRIPTOR.fields:
        info = member(field)
        if not info.required or depth > 12:
            continue
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            entry = getattr(message, field.name)
            if value_field.message_type is not None:
                fill(entry["sweep"], depth + 1)
            else:
                entry["sweep"] = scalar(value_field, member(value_field), "sweep")
        elif field.label == FD.LABEL_REPEATED:
            count = max(1, int(info.min) if info.HasField("min") else 1)
            for _ in range(count):
                if field.message_type is not None:
                    fill(getattr(message, field.name).add(), depth + 1)
                else:
                    getattr(message, field.name).append(scalar(field, info, field.name))
        elif field.message_type is not None:
            if field.message_type.full_name == "google.protobuf.Timestamp":
                getattr(message, field.name).seconds = 1704067200  # 2024-01-01
            else:
                sub = getattr(message, field.name)
                sub.SetInParent()
                fill(sub, depth + 1)
                if field.message_type.oneofs and not sub.ListFields():
                    # A union: its first member.
                    first = field.message_type.fields[0]
                    if first.message_type is None:
                        setattr(sub, first.name, scalar(first, member(first), first.name))
                    else:
                        getattr(sub, first.name).SetInParent()
                        fill(getattr(sub, first.name), depth + 1)
        else:
            setattr(message, field.name, scalar(field, info, field.name))


def scalar(field, info, name):
    if field.enum_type is not None:
        return next(v.number for v in field.enum_type.values if v.number != 0)
    if field.type == FD.TYPE_STRING:
        low = int(info.min) if info.HasField("min") else 1
        high = int(info.max) if info.HasField("max") else 1024
        text = "arn:aws:sweep:us-west-2:111122223333:thing/sweep" if "arn" in name else "sweep"
        text = text[:high]
        return text + "x" * max(0, low - len(text))
    if field.type == FD.TYPE_BYTES:
        return b"sweep"
    if field.type == FD.TYPE_BOOL:
        return False
    if field.type in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
        return float(info.min) if info.HasField("min") else 1.0
    low = int(info.min) if info.HasField("min") else 1
    high = int(info.max) if info.HasField("max") else max(low, 1)
    return min(max(low, 1), high) if high >= 1 else low


class GatewaySweepTest(unittest.TestCase):

    def test_every_action_reaches_aws_and_comes_back(self):
        emu = EmulatorProcess(region="us-west-2")
        gateway = GatewayProcess(env=emu.gateway_env())
        channel = grpc.insecure_channel(gateway.address)
        try:
            outcomes = collections.Counter()
            failures = []
            total = 0
            for module in MODULES:
                for service in module.DESCRIPTOR.services_by_name.values():
                    for method in service.methods:
                        total += 1
                        request = getattr(module, method.input_type.name)()
                        fill(request)
                        call = channel.unary_unary(
                            f"/{service.full_name}/{method.name}",
                            request_serializer=lambda m: m.SerializeToString(),
                            response_deserializer=lambda b: b)
                        try:
                            _, rpc = call.with_call(request, timeout=15)
                            outcomes["OK"] += 1
                            last = "OK"
                            metadata = dict(rpc.trailing_metadata() or ())
                        except grpc.RpcError as e:
                            outcomes[e.code().name] += 1
                            last = f"{e.code().name}: {e.details()}"
                            metadata = dict(e.trailing_metadata() or ())
                            if e.code() in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN,
                                            grpc.StatusCode.UNAVAILABLE,
                                            grpc.StatusCode.DEADLINE_EXCEEDED,
                                            grpc.StatusCode.UNIMPLEMENTED):
                                failures.append(f"{service.name}/{method.name}: "
                                                f"{e.code().name} {e.details()}")
                                continue
                        if "x-amzn-requestid" not in metadata:
                            failures.append(f"{service.name}/{method.name}: never reached the "
                                            f"emulator ({last})")
            reached = total - len(failures)
            print(f"gateway sweep: {reached}/{total} actions reached AWS; "
                  f"outcomes {dict(outcomes)}", file=sys.stderr)
            self.assertEqual(total, 221)
            self.assertEqual(failures, [])
        finally:
            channel.close()
            gateway.stop()
            emu.stop()


if __name__ == "__main__":
    unittest.main()
