"""Checks on the committed, generated service protos.

  * regenerating from ../shared/models changes nothing (byte-identical);
  * every operation of the models is an rpc (221 today), with its options;
  * every action named in ../shared/seeds exists;
  * protoc compiles every file with no warnings;
  * the generator also accepts Debian's older botocore models, keeping the
    committed field numbers for every member both versions share.

Exits 77 (ctest: skipped) with a message when ../shared/models is absent.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

from protogen_harness import PROTOC, REPO, descriptor_pb2, options_pb2

SHARED = os.environ.get("AWSGW_SHARED_DIR", os.path.join(os.path.dirname(REPO), "shared"))
MODELS = os.path.join(SHARED, "models")
SEEDS = os.path.join(SHARED, "seeds")
GENERATOR = os.path.join(REPO, "tools", "generate_protos.py")
PROTO_ROOT = os.path.join(REPO, "proto")
SERVICES = {"apprunner": 37, "amplify": 37, "serverlessrepo": 14, "appconfig": 56, "ecs": 77}
DEBIAN_BOTOCORE = "/usr/lib/python3/dist-packages/botocore/data"

if not os.path.isdir(MODELS):
    print(f"SKIP: AWS models not found at {MODELS} (set AWSGW_SHARED_DIR)")
    sys.exit(77)


def compile_all():
    out = os.path.join(tempfile.mkdtemp(prefix="awsgw-protos-"), "set.pb")
    files = [f"aws/{s}/v1/{s}.proto" for s in SERVICES]
    result = subprocess.run([PROTOC, f"-I{PROTO_ROOT}", "--include_imports",
                             f"--descriptor_set_out={out}"] + files,
                            capture_output=True, text=True)
    fds = descriptor_pb2.FileDescriptorSet()
    if result.returncode == 0:
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    return result, {f.name: f for f in fds.file}


def model_operations(service):
    sys.path.insert(0, os.path.join(REPO, "tools"))
    from protogen import models
    return models.load(models.find_model(MODELS, service))["operations"]


def seed_actions():
    """{service: set(action)} from the seed API documents, whatever their format."""
    owners = [("Serverless Application Repository", "serverlessrepo"), ("App Runner", "apprunner"),
              ("AppConfig", "appconfig"), ("Amplify", "amplify"),
              ("EC2 Container Service", "ecs"), ("Elastic Container Service", "ecs")]
    found = {}
    for name in sorted(os.listdir(SEEDS)):
        with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
            text = f.read()
        service = next(s for phrase, s in owners if phrase in text[:20000])
        lines = text.splitlines()
        actions = set()
        # API reference table of contents: "<Action>\t<page>" then "Request Syntax\t<page>".
        for line, following in zip(lines, lines[1:]):
            m = re.fullmatch(r"([A-Z][A-Za-z0-9]+)\t\d+", line)
            if m and re.match(r"Request Syntax\t\d+", following):
                actions.add(m.group(1))
        # API Gateway style: "Operation ID: <Action>".
        actions |= set(re.findall(r"^Operation ID: ([A-Z][A-Za-z0-9]+)", text, re.M))
        # SDK changelog style: "<Action> (new) Link ¶" (the spaces may be non-breaking).
        actions |= set(re.findall(r"^([A-Z][A-Za-z0-9]+)\s\((?:new|updated)\)\sLink", text, re.M))
        if not actions:
            raise AssertionError(f"no actions recognised in seed {name}")
        found.setdefault(service, set()).update(actions)
    return found


class GeneratedProtosTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.protoc, cls.files = compile_all()

    def test_regeneration_changes_nothing(self):
        result = subprocess.run([sys.executable, GENERATOR, "--models", MODELS, "--check"],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout[-6000:] + result.stderr)

    def test_protoc_compiles_every_file_without_warnings(self):
        self.assertEqual(self.protoc.returncode, 0, self.protoc.stderr)
        self.assertEqual(self.protoc.stderr.strip(), "")

    def test_every_model_operation_is_an_rpc_with_options(self):
        total = 0
        for service, expected in SERVICES.items():
            f = self.files[f"aws/{service}/v1/{service}.proto"]
            self.assertEqual(f.package, f"aws.{service}.v1")
            self.assertEqual(len(f.service), 1)
            rpcs = {m.options.Extensions[options_pb2.operation].name: m
                    for m in f.service[0].method}
            ops = model_operations(service)
            self.assertEqual(sorted(rpcs), sorted(ops), service)
            self.assertEqual(len(rpcs), expected, service)
            total += len(rpcs)
            info = f.service[0].options.Extensions[options_pb2.service]
            self.assertNotEqual(info.protocol, options_pb2.PROTOCOL_UNSPECIFIED)
            self.assertTrue(info.signing_name and info.endpoint_prefix and info.service_id)
            messages = {m.name: m for m in f.message_type}
            for name, rpc in rpcs.items():
                op = rpc.options.Extensions[options_pb2.operation]
                self.assertTrue(op.http_method and op.request_uri, name)
                self.assertEqual(rpc.input_type, f".aws.{service}.v1.{rpc.name}Request")
                self.assertEqual(rpc.output_type, f".aws.{service}.v1.{rpc.name}Response")
                for error in op.errors:
                    shape = messages[error].options.Extensions[options_pb2.shape]
                    self.assertTrue(shape.error.code and shape.error.http_status, error)
        self.assertEqual(total, 221)

    def test_every_seed_action_exists(self):
        actions = seed_actions()
        self.assertEqual(set(actions), set(SERVICES))
        for service, names in actions.items():
            f = self.files[f"aws/{service}/v1/{service}.proto"]
            rpcs = {m.name for m in f.service[0].method}
            self.assertEqual(sorted(names - rpcs), [], f"seed actions missing from {service}")
        self.assertGreaterEqual(sum(len(v) for v in actions.values()), 100)

    def test_fields_follow_the_conventions(self):
        for service in SERVICES:
            f = self.files[f"aws/{service}/v1/{service}.proto"]
            for e in f.enum_type:
                self.assertEqual(e.value[0].number, 0)
                self.assertTrue(e.value[0].name.endswith("_UNSPECIFIED"), e.value[0].name)
                for v in e.value[1:]:
                    self.assertTrue(v.options.Extensions[options_pb2.aws_value] or
                                    v.name.endswith("_EMPTY"), v.name)
            for m in f.message_type:
                shape = m.options.Extensions[options_pb2.shape]
                for fld in m.field:
                    self.assertRegex(fld.name, r"^[a-z][a-z0-9_]*$")
                    member = fld.options.Extensions[options_pb2.member]
                    scalar = fld.type not in (fld.TYPE_MESSAGE, fld.TYPE_GROUP)
                    # proto3 optional fields sit in a synthetic oneof of their own.
                    in_union = fld.HasField("oneof_index") and not fld.proto3_optional
                    if scalar and fld.label != fld.LABEL_REPEATED and not in_union:
                        self.assertTrue(fld.proto3_optional, f"{m.name}.{fld.name}")
                    if not member.raw_of and not shape.is_wrapper:
                        self.assertTrue(fld.json_name, f"{m.name}.{fld.name}")


class OlderModelsTest(unittest.TestCase):
    """The generator accepts Debian's python3-botocore models (2022) too."""

    def test_generates_from_debian_botocore_with_committed_numbers(self):
        if not os.path.isdir(DEBIAN_BOTOCORE):
            self.skipTest(f"python3-botocore models not at {DEBIAN_BOTOCORE}")
        out = tempfile.mkdtemp(prefix="awsgw-old-models-")
        result = subprocess.run([sys.executable, GENERATOR, "--models", DEBIAN_BOTOCORE,
                                 "--out", out, "--lock-dir", PROTO_ROOT],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("total:", result.stdout)
        for service in SERVICES:
            rel = f"aws/{service}/v1/{service}.lock.json"
            with open(os.path.join(PROTO_ROOT, rel), encoding="utf-8") as f:
                current = json.load(f)["messages"]
            with open(os.path.join(out, rel), encoding="utf-8") as f:
                older = json.load(f)["messages"]
            shared = 0
            for msg, entry in current.items():
                for key, field in entry.get("fields", {}).items():
                    old = older.get(msg, {}).get("fields", {}).get(key)
                    if old and not old.get("removed") and old["type"] == field["type"]:
                        self.assertEqual(old["number"], field["number"], f"{service} {msg}.{key}")
                        shared += 1
            self.assertGreater(shared, 50, service)
            result = subprocess.run([PROTOC, f"-I{out}", f"-I{PROTO_ROOT}",
                                     "--descriptor_set_out=/dev/null", rel.replace(
                                         ".lock.json", ".proto")],
                                    capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    unittest.main()
