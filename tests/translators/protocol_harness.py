"""Drives the C++ translators from Python tests, and converts between the
protocol test suites' value conventions and protobuf messages.

Models (the suites' own shapes, or AWS service models) are turned into protos
with the project's generator, compiled with protoc, and loaded both into the
C++ translator_tool and into a Python descriptor pool, so Python can build the
request messages and read the decoded ones.
"""

import base64
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tools"))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))

from protogen import emit, schema  # noqa: E402
from protogen.field_numbers import Lock  # noqa: E402
from protogen_harness import options_pb2  # noqa: E402,F401  (registers the options)

from google.protobuf import descriptor_pb2, descriptor_pool, json_format  # noqa: E402
from google.protobuf import message_factory  # noqa: E402

PROTOC = os.environ.get("PROTOC", "protoc")
TOOL = os.environ.get("TRANSLATOR_TOOL", os.path.join(REPO, "build", "tests", "translators",
                                                      "translator_tool"))


class Tool:
    """One translator_tool process; requests and answers are JSON lines."""

    def __init__(self):
        self.proc = subprocess.Popen([TOOL], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)

    def call(self, **request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"translator_tool exited ({self.proc.wait()})")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


class DescriptorSet:
    """A compiled FileDescriptorSet in a Python pool: messages to build and
    read, and each message's and enum's descriptor proto (with the awsgw
    options) by full name."""

    def __init__(self, path):
        fds = descriptor_pb2.FileDescriptorSet()
        with open(path, "rb") as f:
            fds.ParseFromString(f.read())
        self.pool = descriptor_pool.DescriptorPool()
        self.protos = {}
        self.files = {}
        for fd in fds.file:
            self.pool.Add(fd)
            self.files[fd.name] = fd
            for m in fd.message_type:
                self.protos[f"{fd.package}.{m.name}"] = m
            for e in fd.enum_type:
                self.protos[f"{fd.package}.{e.name}"] = e
        self.factory = message_factory.MessageFactory(self.pool)

    def new(self, full_name):
        return self.factory.GetPrototype(self.pool.FindMessageTypeByName(full_name))()


class Protos(DescriptorSet):
    """Generated protos for a set of models, compiled and loaded on both sides."""

    def __init__(self, tool, models):
        """models: {key: (model_dict, package)}; generation errors are kept per key."""
        self.work = tempfile.mkdtemp(prefix="awsgw-protocol-")
        self.generated = {}  # key -> (proto file, schema.ProtoFile)
        self.errors = {}  # key -> why no proto
        for key, (model, package) in models.items():
            rel = package.replace(".", "/") + ".proto"
            try:
                pf = schema.SchemaBuilder(model, "test", package, rel, Lock()).build()
            except schema.GenerationError as e:
                self.errors[key] = str(e)
                continue
            path = os.path.join(self.work, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(emit.render(pf, lock_name="none"))
            self.generated[key] = (rel, pf)
        out = os.path.join(self.work, "set.pb")
        rels = sorted(rel for rel, _ in self.generated.values())
        result = subprocess.run([PROTOC, f"-I{self.work}", f"-I{REPO}/proto", "--include_imports",
                                 f"--descriptor_set_out={out}"] + rels,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        answer = tool.call(cmd="load", descriptor_set=out)
        if "error" in answer:
            raise RuntimeError(answer)
        super().__init__(out)

    def service(self, key):
        rel, pf = self.generated[key]
        return f"{pf.package}.{pf.service_name}"

    def method(self, key, op_name):
        rel, pf = self.generated[key]
        rpc = next(r for r in pf.rpcs if r.options["name"] == op_name)
        return f"{pf.package}.{pf.service_name}.{rpc.name}", f"{pf.package}.{rpc.request}", \
            f"{pf.package}.{rpc.response}"



# ---- suite conventions <-> messages ------------------------------------------------

def _member_options(field_proto):
    return field_proto.options.Extensions[options_pb2.member]


class Converter:
    """Suite value conventions (README of testdata) <-> protobuf messages."""

    def __init__(self, protos, legacy=False):
        self.protos = protos
        # Legacy cases write jsonvalue members as JSON values, not JSON text.
        self.legacy = legacy

    def _fields(self, descriptor):
        """[(member name, field descriptor, member options, raw field or None)]."""
        proto = self.protos.protos[descriptor.full_name]
        by_name = {f.name: f for f in proto.field}
        raws = {_member_options(f).raw_of: f.name for f in proto.field if _member_options(f).raw_of}
        out = []
        for fd in descriptor.fields:
            opts = _member_options(by_name[fd.name])
            if opts.raw_of:
                continue
            member = opts.name or by_name[fd.name].json_name
            raw = descriptor.fields_by_name[raws[fd.name]] if fd.name in raws else None
            out.append((member, fd, opts, raw))
        return out

    def _shape(self, descriptor):
        return self.protos.protos[descriptor.full_name].options.Extensions[options_pb2.shape]

    def _enum_values(self, enum_descriptor):
        proto = self.protos.protos[enum_descriptor.full_name]
        return {v.options.Extensions[options_pb2.aws_value]: v.number for v in proto.value[1:]}

    # params -> message

    def fill(self, msg, params):
        fields = {member: (fd, opts, raw) for member, fd, opts, raw in self._fields(msg.DESCRIPTOR)}
        for key, value in params.items():
            if value is None:
                continue
            if key not in fields:
                raise KeyError(f"{msg.DESCRIPTOR.full_name} has no member {key}")
            fd, opts, raw = fields[key]
            self._set(msg, fd, opts, raw, value)
        return msg

    def _set(self, msg, fd, opts, raw, value):
        if fd.message_type is not None and fd.message_type.GetOptions().map_entry:
            container = getattr(msg, fd.name)
            value_fd = fd.message_type.fields_by_name["value"]
            unknown = False
            for k, v in value.items():
                if v is None:
                    continue
                if value_fd.message_type is not None:
                    self._fill_value(container[k], value_fd.message_type, opts, v)
                elif value_fd.enum_type is not None:
                    number = self._enum_values(value_fd.enum_type).get(v)
                    unknown = unknown or number is None
                    container[k] = number or 0
                else:
                    container[k] = self._scalar(value_fd, opts, v)
            if unknown and raw is not None:
                getattr(msg, raw.name).update({k: v for k, v in value.items() if v is not None})
            return
        if fd.label == fd.LABEL_REPEATED:
            container = getattr(msg, fd.name)
            unknown = False
            for v in value:
                if fd.message_type is not None:
                    self._fill_value(container.add(), fd.message_type, opts, v)
                elif fd.enum_type is not None:
                    number = self._enum_values(fd.enum_type).get(v)
                    unknown = unknown or number is None
                    container.append(number or 0)
                else:
                    container.append(self._scalar(fd, opts, v))
            if unknown and raw is not None:
                getattr(msg, raw.name).extend(value)
            return
        if fd.message_type is not None:
            self._fill_value(getattr(msg, fd.name), fd.message_type, opts, value)
            return
        if fd.enum_type is not None:
            number = self._enum_values(fd.enum_type).get(value)
            if number is None and raw is not None:
                setattr(msg, raw.name, value)
            setattr(msg, fd.name, number or 0)
            return
        setattr(msg, fd.name, self._scalar(fd, opts, value))

    def _fill_value(self, sub, type_, opts, value):
        name = type_.full_name
        if name == "google.protobuf.Timestamp":
            whole = math.floor(value)
            sub.seconds = int(whole)
            sub.nanos = int(round((value - whole) * 1e6)) * 1000
        elif name == "google.protobuf.Value":
            json_format.ParseDict(value, sub)
        elif self._shape(type_).is_wrapper:
            member, fd, inner_opts, raw = self._fields(type_)[0]
            self._set(sub, fd, inner_opts, raw, value)
        else:
            self.fill(sub, value)
        sub.SetInParent()

    @staticmethod
    def _scalar(fd, opts, value):
        if fd.type == fd.TYPE_BYTES:
            return value.encode("utf-8") if isinstance(value, str) else value
        if fd.type in (fd.TYPE_FLOAT, fd.TYPE_DOUBLE) and isinstance(value, str):
            return float(value.replace("Infinity", "inf"))
        if fd.type == fd.TYPE_STRING and not isinstance(value, str):
            return json.dumps(value, separators=(",", ":"))  # legacy jsonvalue members
        return value

    # message -> result

    def read(self, msg):
        out = {}
        for member, fd, opts, raw in self._fields(msg.DESCRIPTOR):
            value = self._get(msg, fd, opts, raw)
            if value is not None:
                out[member] = value
        return out

    def _get(self, msg, fd, opts, raw):
        if fd.message_type is not None and fd.message_type.GetOptions().map_entry:
            container = getattr(msg, fd.name)
            if raw is not None and len(getattr(msg, raw.name)):
                return dict(getattr(msg, raw.name))
            if not len(container):
                return None
            value_fd = fd.message_type.fields_by_name["value"]
            return {k: self._value(value_fd, opts, container[k]) for k in container}
        if fd.label == fd.LABEL_REPEATED:
            if raw is not None and len(getattr(msg, raw.name)):
                return list(getattr(msg, raw.name))
            container = getattr(msg, fd.name)
            if not len(container):
                return None
            return [self._value(fd, opts, v) for v in container]
        if raw is not None and msg.HasField(raw.name):
            return getattr(msg, raw.name)
        if not msg.HasField(fd.name):
            return None
        return self._value(fd, opts, getattr(msg, fd.name))

    def _value(self, fd, opts, value):
        if fd.message_type is not None:
            name = fd.message_type.full_name
            if name == "google.protobuf.Timestamp":
                return value.seconds + value.nanos / 1e9
            if name == "google.protobuf.Value":
                return json_format.MessageToDict(value)
            if self._shape(fd.message_type).is_wrapper:
                member, inner, inner_opts, raw = self._fields(fd.message_type)[0]
                got = self._get(value, inner, inner_opts, raw)
                return got if got is not None else ([] if inner.label == inner.LABEL_REPEATED
                                                    and not inner.message_type else {})
            return self.read(value)
        if fd.enum_type is not None:
            names = {v: k for k, v in self._enum_values(fd.enum_type).items()}
            return names.get(value)
        if fd.type == fd.TYPE_BYTES:
            return value.decode("utf-8", errors="replace")
        if self.legacy and opts.jsonvalue and isinstance(value, str):
            return json.loads(value)
        return value


def b64(data):
    return base64.b64encode(data).decode("ascii")


def unb64(text):
    return base64.b64decode(text)
