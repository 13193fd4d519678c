"""Differential tests against botocore, the reference AWS serializer and parser.

For every operation of the five services (the current models, loaded by
botocore through AWS_DATA_PATH), a request with every member set is
generated from the model: strings with reserved characters and unicode,
numbers, booleans, timestamps, blobs, documents, enums, nested lists, maps
and structures.

  * Requests: botocore's serializer and the gateway's translators (through
    translator_tool, on the committed protos) must produce the same method,
    path, query parameters, headers and body (JSON compared as values).
  * Responses: a generated output is encoded by the translators' server side;
    botocore's parser and the translators' client side must both read back
    exactly what was generated.

Exits 77 (ctest: skipped) where ../shared/models or python3-botocore is absent.
"""

import base64
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
from urllib.parse import unquote

from protocol_harness import PROTOC, REPO, Converter, DescriptorSet, Tool, b64, unb64

SHARED = os.environ.get("AWSGW_SHARED_DIR", os.path.join(REPO, "..", "shared"))
MODELS = os.path.join(SHARED, "models")
SERVICES = ["apprunner", "amplify", "serverlessrepo", "appconfig", "ecs"]

if not os.path.isdir(MODELS):
    print(f"SKIP: AWS models not found at {MODELS}")
    sys.exit(77)
os.environ["AWS_DATA_PATH"] = MODELS
try:
    import botocore.parsers
    import botocore.serialize
    import botocore.session
except ImportError:
    print("SKIP: python3-botocore is not installed")
    sys.exit(77)

TRICKY = "a b/c?d=e&f+g%h#i~j ü☃"


class CommittedProtos(DescriptorSet):
    """The committed service protos, compiled for Python's side of the tests."""

    def __init__(self):
        out = os.path.join(tempfile.mkdtemp(prefix="awsgw-diff-"), "set.pb")
        files = [f"aws/{s}/v1/{s}.proto" for s in SERVICES]
        subprocess.run([PROTOC, f"-I{REPO}/proto", "--include_imports",
                        f"--descriptor_set_out={out}"] + files, check=True)
        super().__init__(out)

    def rpc(self, service, operation):
        fd = self.files[f"aws/{service}/v1/{service}.proto"]
        svc = fd.service[0]
        for m in svc.method:
            if m.name == operation:
                return (f"{fd.package}.{svc.name}.{m.name}", m.input_type.lstrip("."),
                        m.output_type.lstrip("."))
        raise KeyError(operation)


def is_document(shape):
    return shape.type_name == "structure" and bool(
        shape.metadata.get("document") or getattr(shape, "is_document_type", False))


class ValueMaker:
    """Populated values for a shape: every member set, bounded depth."""

    def __init__(self, seed):
        self.counter = seed

    def make(self, shape, depth=0, location=None):
        t = shape.type_name
        self.counter += 1
        if t == "structure":
            if is_document(shape):
                return {"doc": [1, "two", True, None, {"nested": 2.5}]}
            if depth > 4:
                return None
            members = list(shape.members.items())
            if shape.metadata.get("union"):
                members = members[self.counter % len(members):][:1]
            out = {}
            for name, member in members:
                if member.serialization.get("location") == "header" and \
                        member.type_name in ("structure", "map"):
                    continue
                value = self.make(member, depth + 1, member.serialization.get("location"))
                if value is not None:
                    out[name] = value
            return out
        if t == "list":
            item = self.make(shape.member, depth + 1, location)
            return None if item is None else [item, self.make(shape.member, depth + 1, location)]
        if t == "map":
            value = self.make(shape.value, depth + 1, location)
            if value is None:
                return None
            keys = ["meta-a", "meta-b"] if location == "headers" else ["k1", "key two/ü"]
            if shape.key.enum:
                keys = shape.key.enum[:2]
            return {k: self.make(shape.value, depth + 1, location) for k in keys}
        if t == "string":
            if shape.enum:
                return shape.enum[self.counter % len(shape.enum)]
            if shape.serialization.get("jsonvalue"):
                return '{"k":"v"}'
            if location == "header":
                # Printable ASCII: botocore sends other bytes as they are,
                # the gateway refuses them (no charset is agreed for HTTP/1.1
                # header values; tests/translators/request_preparation_test.cc).
                return f"header value {self.counter} ~!"
            return f"{TRICKY} {self.counter}"
        if t == "integer":
            return 40 + self.counter % 7
        if t == "long":
            return 9007199254740000 + self.counter
        if t == "boolean":
            return self.counter % 2 == 0
        if t in ("float", "double"):
            return 1.5 + self.counter % 3
        if t == "timestamp":
            # Whole seconds: botocore 1.29 truncates fractions of epoch seconds.
            return 1700000000 + self.counter
        if t == "blob":
            return f"blob-{self.counter}"  # text bytes: both sides see the same bytes
        raise ValueError(t)


def to_botocore(value, shape):
    """Our convention (epoch numbers, text blobs) -> botocore's (datetime, bytes)."""
    t = shape.type_name
    if value is None:
        return None
    if t == "structure" and not is_document(shape):
        return {k: to_botocore(v, shape.members[k]) for k, v in value.items()}
    if t == "list":
        return [to_botocore(v, shape.member) for v in value]
    if t == "map":
        return {k: to_botocore(v, shape.value) for k, v in value.items()}
    if t == "timestamp":
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    if t == "blob":
        return value.encode("utf-8")
    return value


def from_botocore(value, shape):
    """botocore's parsed values -> our convention."""
    t = shape.type_name
    if t == "structure" and not is_document(shape):
        return {k: from_botocore(v, shape.members[k]) for k, v in value.items()
                if k in shape.members and k != "ResponseMetadata"}
    if t == "list":
        return [from_botocore(v, shape.member) for v in value]
    if t == "map":
        return {k: from_botocore(v, shape.value) for k, v in value.items()}
    if t == "timestamp":
        return value.timestamp()
    if t == "blob":
        data = value.read() if hasattr(value, "read") else value
        return data.decode("utf-8") if isinstance(data, bytes) else data
    return value


def normalize_header(value):
    # botocore 1.29 writes boolean headers as Python does ("False"); AWS and
    # the restJson1 spec (and newer botocore) use "false", as the gateway does.
    if value in ("True", "False"):
        value = value.lower()
    return re.sub(r",\s*", ",", value)


def compare_requests(ours, theirs):
    problems = []
    if ours["method"] != theirs["method"]:
        problems.append(f"method {ours['method']} != {theirs['method']}")
    if ours["path"] != theirs["url_path"]:
        problems.append(f"path {ours['path']!r} != {theirs['url_path']!r}")
    our_query = sorted((unquote(k), unquote(v)) for k, v in ours["query"])
    their_query = []
    for k, v in (theirs.get("query_string") or {}).items():
        for item in (v if isinstance(v, list) else [v]):
            their_query.append((k, str(item)))
    if our_query != sorted(their_query):
        problems.append(f"query {our_query} != {sorted(their_query)}")
    our_headers = {k.lower(): v for k, v in ours["headers"]}
    for name, value in theirs["headers"].items():
        got = our_headers.get(name.lower())
        if got is None or normalize_header(got) != normalize_header(str(value)):
            problems.append(f"header {name}: {got!r} != {value!r}")
    body = unb64(ours["body"])
    theirs_body = theirs["body"] if isinstance(theirs["body"], bytes) else \
        str(theirs["body"]).encode("utf-8")
    try:
        same = json.loads(body or b"null") == json.loads(theirs_body or b"null")
    except ValueError:
        same = body == theirs_body
    if not same:
        problems.append(f"body {body[:300]!r} != {theirs_body[:300]!r}")
    return problems


class BotocoreDifferentialTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.session = botocore.session.get_session()
        cls.protos = CommittedProtos()
        cls.conv = Converter(cls.protos)
        cls.tool = Tool()
        cls.report = []

    @classmethod
    def tearDownClass(cls):
        cls.tool.close()
        print("\nbotocore differential:")
        for line in cls.report:
            print("  " + line)

    def test_requests_match_botocore_for_every_operation(self):
        failures, count = [], 0
        for service in SERVICES:
            model = self.session.get_service_model(service)
            serializer = botocore.serialize.create_serializer(model.metadata["protocol"],
                                                              include_validation=False)
            for i, op_name in enumerate(sorted(model.operation_names)):
                op = model.operation_model(op_name)
                params = ValueMaker(i).make(op.input_shape) if op.input_shape else {}
                theirs = serializer.serialize_to_request(to_botocore(params, op.input_shape)
                                                         if op.input_shape else {}, op)
                method, request_type, _ = self.protos.rpc(service, op_name)
                msg = self.conv.fill(self.protos.new(request_type), params)
                ours = self.tool.call(cmd="encode_request", method=method,
                                      message=b64(msg.SerializeToString()))
                count += 1
                problems = [str(ours["error"])] if "error" in ours else \
                    compare_requests(ours, theirs)
                if problems:
                    failures.append(f"{service}.{op_name}: " + "; ".join(problems))
        self.report.append(f"requests: {count - len(failures)} of {count} operations match")
        self.assertEqual(count, 221)
        self.assertEqual(failures, [], "\n".join(failures))

    def test_responses_parse_like_botocore_for_every_operation(self):
        failures, count = [], 0
        for service in SERVICES:
            model = self.session.get_service_model(service)
            parser = botocore.parsers.create_parser(model.metadata["protocol"])
            for i, op_name in enumerate(sorted(model.operation_names)):
                op = model.operation_model(op_name)
                if op.output_shape is None:
                    continue
                generated = ValueMaker(1000 + i).make(op.output_shape)
                method, _, response_type = self.protos.rpc(service, op_name)
                msg = self.conv.fill(self.protos.new(response_type), generated)
                encoded = self.tool.call(cmd="encode_response", method=method,
                                         message=b64(msg.SerializeToString()))
                count += 1
                if "error" in encoded:
                    failures.append(f"{service}.{op_name}: encode: {encoded['error']}")
                    continue
                headers = {}
                for k, v in encoded["headers"]:
                    headers[k] = v
                response = {"status_code": encoded["status"], "headers": headers,
                            "body": unb64(encoded["body"])}
                theirs = from_botocore(parser.parse(response, op.output_shape), op.output_shape)
                ours_answer = self.tool.call(cmd="decode_response", method=method,
                                             status=encoded["status"], headers=encoded["headers"],
                                             body=encoded["body"])
                if "message" not in ours_answer:
                    failures.append(f"{service}.{op_name}: decode: {ours_answer}")
                    continue
                back = self.protos.new(response_type)
                back.ParseFromString(unb64(ours_answer["message"]))
                ours = self.conv.read(back)
                for who, got in (("botocore", theirs), ("gateway", ours)):
                    if got != generated:
                        failures.append(f"{service}.{op_name}: {who} read {got} "
                                        f"but {generated} was sent")
        self.report.append(f"responses: {count - len(failures)} of {count} operations match")
        self.assertGreater(count, 200)
        self.assertEqual(failures, [], "\n".join(failures[:40]))


if __name__ == "__main__":
    unittest.main()
