"""AWS service model -> an intermediate description of one proto file.

The mapping (README.md in proto/ explains it for users):
  * one rpc per operation, with its own <Op>Request / <Op>Response messages
    holding the input / output shape's members (empty where there is none);
  * one message per other structure shape reachable from an operation
    (nested shapes, error shapes); unions get a oneof; documents become
    google.protobuf.Value; timestamps google.protobuf.Timestamp; blobs bytes;
  * lists -> repeated, maps -> map<string, V>; where proto cannot nest (a list
    of lists, a map of lists, a list inside a oneof) the inner list or map is
    a transparent wrapper message named after its AWS shape;
  * scalars are proto3 `optional` so unset and zero differ;
  * string enums -> proto enums with <ENUM>_UNSPECIFIED = 0, plus a sibling
    `<field>_raw` string field that carries values newer than this build.
Everything the runtime needs goes into awsgw options.
"""

import dataclasses

from . import naming, resources
from .field_numbers import Lock

class Const(str):
    """An enum constant of options.proto, written bare in text format."""


PROTOCOLS = {
    ("json", "1.0"): Const("PROTOCOL_AWS_JSON_1_0"),
    ("json", "1.1"): Const("PROTOCOL_AWS_JSON_1_1"),
    ("rest-json", None): Const("PROTOCOL_REST_JSON_1"),
}

SCALARS = {
    "string": "string",
    "character": "string",
    "integer": "int32",
    "byte": "int32",
    "short": "int32",
    "long": "int64",
    "boolean": "bool",
    "float": "float",
    "double": "double",
    "blob": "bytes",
}

LOCATIONS = {
    "uri": Const("LOCATION_URI"),
    "querystring": Const("LOCATION_QUERYSTRING"),
    "header": Const("LOCATION_HEADER"),
    "headers": Const("LOCATION_HEADERS"),
    "statusCode": Const("LOCATION_STATUS_CODE"),
}

TIMESTAMP_FORMATS = {
    "iso8601": Const("TIMESTAMP_FORMAT_ISO8601"),
    "rfc822": Const("TIMESTAMP_FORMAT_RFC822"),
    "unixTimestamp": Const("TIMESTAMP_FORMAT_UNIX"),
}

TIMESTAMP = "google.protobuf.Timestamp"
VALUE = "google.protobuf.Value"
IMPORTS = {TIMESTAMP: "google/protobuf/timestamp.proto", VALUE: "google/protobuf/struct.proto"}


class GenerationError(Exception):
    """The model uses something the generator cannot map; names the shape."""


@dataclasses.dataclass
class Field:
    name: str
    number: int
    label: str  # "optional", "repeated" or "" (messages, maps, oneof members)
    type: str
    json_name: str = None
    options: dict = dataclasses.field(default_factory=dict)  # (awsgw.member)
    deprecated: bool = False
    doc: str = ""
    in_oneof: bool = False


@dataclasses.dataclass
class Message:
    name: str
    shape: dict  # (awsgw.shape)
    doc: str = ""
    fields: list = dataclasses.field(default_factory=list)
    oneof: str = None
    reserved_numbers: list = dataclasses.field(default_factory=list)
    reserved_names: list = dataclasses.field(default_factory=list)
    deprecated: bool = False


@dataclasses.dataclass
class EnumValue:
    name: str
    number: int
    aws_value: str


@dataclasses.dataclass
class Enum:
    name: str
    shape_name: str
    doc: str = ""
    values: list = dataclasses.field(default_factory=list)
    reserved_numbers: list = dataclasses.field(default_factory=list)
    reserved_names: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Rpc:
    name: str
    request: str
    response: str
    options: dict
    doc: str = ""
    idempotency_level: str = None
    deprecated: bool = False


@dataclasses.dataclass
class ProtoFile:
    path: str
    package: str
    source: str  # where the model came from, for the header comment
    service_name: str
    service_doc: str
    service_options: dict
    rpcs: list
    messages: list
    enums: list
    imports: list


def _type_sig(label, type_):
    return f"{label} {type_}".strip()


class SchemaBuilder:
    """Builds a ProtoFile from one model. Field numbers come from `lock`."""

    def __init__(self, model: dict, model_name: str, package: str, path: str, lock: Lock,
                 source: str = ""):
        self.model = model
        self.model_name = model_name
        self.package = package
        self.path = path
        self.lock = lock
        self.source = source
        self.shapes = model["shapes"]
        self.meta = model.get("metadata", {})
        self.operations = model.get("operations", {})
        self._type_names = {}  # shape name -> message/enum name
        self._types_taken = set()
        self._messages = {}
        self._enums = {}
        self._used_wkt = set()

    # ---- names ---------------------------------------------------------------

    def _claim_type(self, base: str) -> str:
        name, n = base, 1
        while name in self._types_taken:
            name = f"{base}Shape" if n == 1 else f"{base}Shape{n}"
            n += 1
        self._types_taken.add(name)
        return name

    def _shape(self, name: str) -> dict:
        try:
            return self.shapes[name]
        except KeyError:
            raise GenerationError(f"shape {name!r} is referenced but not defined") from None

    def _is_enum(self, shape_name: str) -> bool:
        s = self._shape(shape_name)
        return s["type"] == "string" and bool(s.get("enum"))

    def _is_document(self, shape_name: str) -> bool:
        s = self._shape(shape_name)
        return s["type"] == "structure" and bool(s.get("document"))

    # ---- entry point ---------------------------------------------------------

    def build(self) -> ProtoFile:
        service_name = self._claim_type(
            naming.pascal_case(self.meta.get("serviceId") or self.model_name) + "Service")
        op_names = sorted(self.operations)
        io_names = {}
        for op in op_names:
            io_names[op] = (self._claim_type(naming.type_name(op) + "Request"),
                            self._claim_type(naming.type_name(op) + "Response"))

        referenced, errors = self._reachable(op_names)
        for shape_name in sorted(referenced | errors):
            s = self._shape(shape_name)
            if (s["type"] == "structure" and not s.get("document")) or self._is_enum(shape_name):
                self._type_names[shape_name] = self._claim_type(naming.type_name(shape_name))

        rpcs = []
        io_messages = []
        for op_name in op_names:
            op = self.operations[op_name]
            req_name, resp_name = io_names[op_name]
            io_messages.append(self._io_message(req_name, op.get("input")))
            io_messages.append(self._io_message(resp_name, op.get("output")))
            rpcs.append(self._rpc(op_name, op, req_name, resp_name))

        for shape_name in sorted(referenced | errors):
            s = self._shape(shape_name)
            if s["type"] == "structure" and not s.get("document"):
                self._struct_message(shape_name)
            elif self._is_enum(shape_name):
                self._enum(shape_name)

        messages = io_messages + [self._messages[k] for k in sorted(self._messages)]
        enums = [self._enums[k] for k in sorted(self._enums)]
        return ProtoFile(
            path=self.path,
            package=self.package,
            source=self.source,
            service_name=service_name,
            service_doc=self.model.get("documentation", ""),
            service_options=self._service_options(),
            rpcs=rpcs,
            messages=messages,
            enums=enums,
            imports=sorted(["awsgw/options.proto"] + [IMPORTS[t] for t in self._used_wkt]),
        )

    def _reachable(self, op_names):
        """Shapes referenced from some member (not just as an operation's I/O), and errors."""
        referenced, errors = set(), set()
        # Every error shape of the service, listed by an operation or not: AWS
        # answers with errors its models do not list for the operation.
        errors.update(n for n, s in self.shapes.items() if s.get("exception"))
        stack = [m["shape"] for e in errors for m in self.shapes[e].get("members", {}).values()]
        for op_name in op_names:
            op = self.operations[op_name]
            for key in ("input", "output"):
                if key in op:
                    stack.extend(m["shape"] for m in self._shape(op[key]["shape"]).get(
                        "members", {}).values())
            for e in op.get("errors", []):
                errors.add(e["shape"])
                stack.extend(m["shape"] for m in self._shape(e["shape"]).get("members", {}).values())
        while stack:
            name = stack.pop()
            if name in referenced:
                continue
            referenced.add(name)
            s = self._shape(name)
            stack.extend(m["shape"] for m in s.get("members", {}).values())
            for key in ("member", "key", "value"):
                if key in s:
                    stack.append(s[key]["shape"])
        return referenced, errors

    # ---- service and rpcs ------------------------------------------------------

    def _service_options(self):
        protocol = self.meta.get("protocol")
        json_version = self.meta.get("jsonVersion")
        if protocol == "json" and json_version is None:
            json_version = "1.0"  # botocore's default for the JSON protocol
        key = (protocol, json_version if protocol == "json" else None)
        if key not in PROTOCOLS:
            raise GenerationError(
                f"protocol {protocol!r} (jsonVersion {json_version!r}) is not supported; "
                "only awsJson1_0, awsJson1_1 and restJson1")
        opts = {
            "protocol": PROTOCOLS[key],
            "json_version": json_version or "",
            "target_prefix": self.meta.get("targetPrefix", ""),
            "signing_name": self.meta.get("signingName") or self.meta.get("endpointPrefix", ""),
            "endpoint_prefix": self.meta.get("endpointPrefix", ""),
            "api_version": self.meta.get("apiVersion", ""),
            "service_id": self.meta.get("serviceId", ""),
            "service_full_name": self.meta.get("serviceFullName", ""),
            "uid": self.meta.get("uid", ""),
            "model_name": self.model_name,
        }
        return {k: v for k, v in opts.items() if v != ""}

    def _rpc(self, op_name, op, req_name, resp_name):
        http = op.get("http", {})
        opts = {
            "name": op_name,
            "http_method": http.get("method", "POST"),
            "request_uri": http.get("requestUri", "/"),
            "success_code": int(http.get("responseCode", 200)),
            "errors": [self._type_names[e["shape"]] for e in op.get("errors", [])],
            "host_prefix": op.get("endpoint", {}).get("hostPrefix", ""),
            "http_checksum_required": bool(op.get("httpChecksumRequired")),
            "request_compression": op.get("requestcompression", {}).get("encodings", []),
            "idempotent": bool(op.get("idempotent")),
            "readonly": bool(op.get("readonly")),
            "resources": self._resource_templates(op),
        }
        level = None
        if op.get("readonly"):
            level = "NO_SIDE_EFFECTS"
        elif op.get("idempotent"):
            level = "IDEMPOTENT"
        return Rpc(name=naming.type_name(op_name), request=req_name, response=resp_name,
                   options={k: v for k, v in opts.items() if v not in ("", [], False)},
                   doc=op.get("documentation", ""), idempotency_level=level,
                   deprecated=bool(op.get("deprecated")))

    def _resource_templates(self, op):
        """IAM resource templates of the operation (resources.py)."""
        if "input" not in op:
            return []
        members = self._shape(op["input"]["shape"]).get("members", {})

        def is_identifier(name):
            target = self._shape(members[name]["shape"])
            if target["type"] == "list":
                return self._shape(target["member"]["shape"])["type"] == "string"
            return target["type"] in ("string", "integer", "long")

        return resources.templates(self.model_name, list(members), is_identifier)

    # ---- messages --------------------------------------------------------------

    def _io_message(self, name, ref):
        if ref is None:
            return self._message(name, name, {}, shape_name="")
        shape = self._shape(ref["shape"])
        if "payload" in ref:  # older models name the payload on the operation
            shape = dict(shape, payload=ref["payload"])
        return self._message(name, name, shape, shape_name=ref["shape"])

    def _struct_message(self, shape_name):
        name = self._type_names[shape_name]
        if name not in self._messages:
            self._messages[name] = None  # recursion guard
            self._messages[name] = self._message(name, name, self._shape(shape_name),
                                                 shape_name=shape_name)

    def _message(self, name, lock_key, shape, shape_name):
        shape_opts = {"name": shape_name} if shape_name else {}
        if shape.get("exception") or shape.get("error"):
            err = shape.get("error", {})
            fault = bool(shape.get("fault"))
            shape_opts["error"] = {
                "code": err.get("code", shape_name),
                "http_status": int(err.get("httpStatusCode", 500 if fault else 400)),
                "fault": fault,
            }
        is_union = bool(shape.get("union"))
        if is_union:
            shape_opts["is_union"] = True
        msg = Message(name=name, shape=shape_opts, doc=shape.get("documentation", ""),
                      deprecated=bool(shape.get("deprecated")))
        numbers = self.lock.message(lock_key)
        names = naming.NameAllocator()
        if is_union:
            msg.oneof = names.claim("value")
        required = set(shape.get("required", []))
        payload = shape.get("payload")
        for member_name, member in shape.get("members", {}).items():
            for field, key in self._member_fields(member_name, member, names, is_union,
                                                  member_name in required,
                                                  member_name == payload):
                field.number = numbers.number(key, field.name, _type_sig(field.label, field.type))
                msg.fields.append(field)
        msg.reserved_numbers, msg.reserved_names = numbers.finish()
        return msg

    def _member_fields(self, member_name, member, names, in_oneof, required, is_payload):
        """The typed field for a member, and its raw-string sibling for enums."""
        target_name = member["shape"]
        target = self._shape(target_name)
        label, type_, raw_label, raw_type = self._field_type(target_name, in_oneof)

        location = member.get("location") or target.get("location")
        location_name = member.get("locationName") or target.get("locationName")
        opts = {}
        if is_payload:
            opts["location"] = Const("LOCATION_PAYLOAD")
        elif location in LOCATIONS:
            opts["location"] = LOCATIONS[location]
            # A prefix-header map without a prefix collects every header.
            default_name = "" if location == "headers" else member_name
            opts["location_name"] = location_name if location_name is not None else default_name
        elif location not in (None, "body"):
            raise GenerationError(f"member {member_name!r}: unsupported location {location!r}")
        in_body = "location" not in opts
        json_name = (location_name or member_name) if in_body else member_name
        if json_name != member_name:
            opts["name"] = member_name
        fmt = member.get("timestampFormat") or target.get("timestampFormat")
        if fmt:
            if fmt not in TIMESTAMP_FORMATS:
                raise GenerationError(f"member {member_name!r}: unknown timestampFormat {fmt!r}")
            opts["timestamp_format"] = TIMESTAMP_FORMATS[fmt]
        for flag, key in (("jsonvalue", "jsonvalue"), ("idempotencyToken", "idempotency_token"),
                          ("hostLabel", "host_label")):
            if member.get(flag):
                opts[key] = True
        if required:
            opts["required"] = True
        if member.get("sensitive") or target.get("sensitive"):
            opts["sensitive"] = True
        for bound in ("min", "max"):
            if bound in target:
                opts[bound] = target[bound]
        if target.get("mediaType"):
            opts["media_type"] = target["mediaType"]

        fname = names.claim(naming.field_name(member_name))
        typed = Field(name=fname, number=0, label=label, type=type_, json_name=json_name,
                      options=opts, deprecated=bool(member.get("deprecated")),
                      doc=member.get("documentation", ""), in_oneof=in_oneof)
        yield typed, member_name
        if raw_type:
            raw_name = names.claim(fname + "_raw")
            raw_opts = {"raw_of": fname}
            if "location" in opts:  # the raw value travels where the typed one would
                raw_opts["location"] = opts["location"]
                if "location_name" in opts:
                    raw_opts["location_name"] = opts["location_name"]
            yield Field(name=raw_name, number=0, label=raw_label, type=raw_type,
                        options=raw_opts, in_oneof=in_oneof,
                        doc=f"The AWS strings of `{fname}`, verbatim: set on responses when AWS "
                            f"sent a value this build does not know; when set on a request it is "
                            f"sent instead of `{fname}`."), member_name + "#raw"

    def _field_type(self, shape_name, in_oneof):
        """(label, type, raw_label, raw_type) of a member targeting `shape_name`."""
        s = self._shape(shape_name)
        t = s["type"]
        scalar_label = "" if in_oneof else "optional"
        if t == "structure":
            if s.get("document"):
                return "", self._wkt(VALUE), None, None
            return "", self._type_names[shape_name], None, None
        if t == "timestamp":
            return "", self._wkt(TIMESTAMP), None, None
        if t == "string" and s.get("enum"):
            return scalar_label, self._type_names[shape_name], scalar_label, "string"
        if t in SCALARS:
            return scalar_label, SCALARS[t], None, None
        if t in ("list", "map"):
            if in_oneof:  # a oneof cannot hold repeated or map fields
                return "", self._wrapper(shape_name), None, None
            return self._container_type(shape_name)
        raise GenerationError(f"shape {shape_name!r}: unsupported type {t!r}")

    def _container_type(self, shape_name):
        """(label, type, raw_label, raw_type) for a list or map shape used as a field."""
        s = self._shape(shape_name)
        if s["type"] == "list":
            elem = s["member"]["shape"]
            raw = "string" if self._is_enum(elem) else None
            return "repeated", self._element_type(elem), ("repeated" if raw else None), raw
        key = s["key"]["shape"]
        if self._shape(key)["type"] != "string":
            raise GenerationError(f"map {shape_name!r}: key type must be a string")
        value = s["value"]["shape"]
        raw = "map<string, string>" if self._is_enum(value) else None
        return "", f"map<string, {self._element_type(value)}>", ("" if raw else None), raw

    def _element_type(self, shape_name):
        """The proto type of a list element or map value."""
        s = self._shape(shape_name)
        if s["type"] in ("list", "map"):
            return self._wrapper(shape_name)
        label, type_, _, _ = self._field_type(shape_name, in_oneof=False)
        return type_

    def _wrapper(self, shape_name):
        """A transparent message around a list or map shape; created once per shape."""
        if shape_name not in self._type_names:
            self._type_names[shape_name] = self._claim_type(naming.type_name(shape_name))
        name = self._type_names[shape_name]
        if name in self._messages:
            return name
        self._messages[name] = None  # recursion guard (a list of itself)
        s = self._shape(shape_name)
        msg = Message(name=name, shape={"name": shape_name, "is_wrapper": True},
                      doc=s.get("documentation", ""))
        label, type_, raw_label, raw_type = self._container_type(shape_name)
        inner = "values" if s["type"] == "list" else "entries"
        numbers = self.lock.message(name)
        msg.fields.append(Field(name=inner, number=numbers.number(inner, inner,
                                                                  _type_sig(label, type_)),
                                label=label, type=type_))
        if raw_type:
            raw = inner + "_raw"
            msg.fields.append(Field(name=raw, number=numbers.number(raw, raw,
                                                                    _type_sig(raw_label, raw_type)),
                                    label=raw_label, type=raw_type, options={"raw_of": inner}))
        msg.reserved_numbers, msg.reserved_names = numbers.finish()
        self._messages[name] = msg
        return name

    def _wkt(self, type_):
        self._used_wkt.add(type_)
        return type_

    # ---- enums -----------------------------------------------------------------

    def _enum(self, shape_name):
        name = self._type_names[shape_name]
        s = self._shape(shape_name)
        enum = Enum(name=name, shape_name=shape_name, doc=s.get("documentation", ""))
        numbers = self.lock.enum(name)
        names = naming.NameAllocator()
        unspecified = names.claim(f"{naming.upper_snake(name)}_UNSPECIFIED")
        enum.values.append(EnumValue(unspecified, 0, ""))
        for aws_value in s["enum"]:
            if any(v.aws_value == aws_value for v in enum.values[1:]):
                continue  # models occasionally repeat a value
            value_name = names.claim(naming.enum_value_name(name, aws_value))
            enum.values.append(EnumValue(value_name, numbers.number(aws_value, value_name),
                                         aws_value))
        enum.reserved_numbers, enum.reserved_names = numbers.finish()
        self._enums[name] = enum
