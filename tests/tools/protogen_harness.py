"""Shared helpers for the generator tests: build a model, generate, compile.

Generated text is compiled with the real protoc into a FileDescriptorSet and
inspected through descriptor_pb2, with the awsgw options registered, so tests
check what protoc (and therefore every language) actually sees.
"""

import copy
import os
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tools"))

from protogen import emit, schema  # noqa: E402
from protogen.field_numbers import Lock  # noqa: E402

PROTOC = os.environ.get("PROTOC", "protoc")
_OPTIONS_DIR = tempfile.mkdtemp(prefix="awsgw-options-py-")
subprocess.run([PROTOC, f"-I{REPO}/proto", f"--python_out={_OPTIONS_DIR}",
                "awsgw/options.proto"], check=True)
sys.path.insert(0, _OPTIONS_DIR)

from awsgw import options_pb2  # noqa: E402,F401  (registers the extensions)
from google.protobuf import descriptor_pb2  # noqa: E402


def model(shapes, operations=None, protocol="rest-json", json_version="1.1", **metadata):
    """A minimal botocore-format model."""
    meta = {"protocol": protocol, "jsonVersion": json_version, "serviceId": "Test Service",
            "signingName": "test", "endpointPrefix": "test", "apiVersion": "2020-01-01"}
    meta.update(metadata)
    return {"metadata": meta, "shapes": copy.deepcopy(shapes),
            "operations": copy.deepcopy(operations or {})}


def op(name, input_shape=None, output_shape=None, method="POST", uri="/", errors=(), **extra):
    o = {"name": name, "http": {"method": method, "requestUri": uri}}
    if input_shape:
        o["input"] = {"shape": input_shape}
    if output_shape:
        o["output"] = {"shape": output_shape}
    o["errors"] = [{"shape": e} for e in errors]
    o.update(extra)
    return o


class Generated:
    """The result of one generation: proto text, lock, compiled descriptors."""

    def __init__(self, text, lock, files):
        self.text = text
        self.lock = lock
        self.file = files[-1]

    def message(self, name):
        for m in self.file.message_type:
            if m.name == name:
                return m
        raise KeyError(f"no message {name}; have {[m.name for m in self.file.message_type]}")

    def enum(self, name):
        for e in self.file.enum_type:
            if e.name == name:
                return e
        raise KeyError(name)

    def field(self, message, name):
        for f in self.message(message).field:
            if f.name == name:
                return f
        raise KeyError(f"no field {name} in {message}: "
                       f"{[f.name for f in self.message(message).field]}")

    def member(self, message, name):
        return self.field(message, name).options.Extensions[options_pb2.member]

    @property
    def service(self):
        return self.file.service[0]

    def method(self, name):
        for m in self.service.method:
            if m.name == name:
                return m
        raise KeyError(name)


def generate(m, lock=None, name="sample"):
    """Generates and compiles; raises subprocess.CalledProcessError with protoc's output."""
    lock = lock if lock is not None else Lock()
    rel = f"protogentest/{name}.proto"
    pf = schema.SchemaBuilder(m, "test", f"protogentest.{name}.v1", rel, lock, source="test").build()
    text = emit.render(pf, lock_name=f"{name}.lock.json")
    files = compile_proto(text, rel)
    return Generated(text, lock, files)


def compile_proto(text, rel, out_args=()):
    """Compiles with protoc (plus any --*_out args); returns the FileDescriptorProtos."""
    work = tempfile.mkdtemp(prefix="protogen-test-")
    os.makedirs(os.path.join(work, os.path.dirname(rel)), exist_ok=True)
    with open(os.path.join(work, rel), "w", encoding="utf-8") as f:
        f.write(text)
    out = os.path.join(work, "set.pb")
    args = [PROTOC, f"-I{work}", f"-I{REPO}/proto", "--include_imports",
            f"--descriptor_set_out={out}"]
    args.extend(out_args)
    result = subprocess.run(args + [rel], capture_output=True, text=True)
    if result.returncode != 0 or result.stderr.strip():
        raise AssertionError(f"protoc failed or warned:\n{result.stderr}\n--- proto ---\n{text}")
    fds = descriptor_pb2.FileDescriptorSet()
    with open(out, "rb") as f:
        fds.ParseFromString(f.read())
    return list(fds.file)
