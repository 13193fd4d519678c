"""Unit tests of the proto generator on small hand-made models.

Each case generates a proto, compiles it with the real protoc (any warning
fails the test) and inspects the descriptors protoc produced.
"""

import os
import subprocess
import sys
import tempfile
import unittest

from protogen_harness import PROTOC, REPO, Lock, compile_proto, generate, model, op, options_pb2
from google.protobuf import descriptor_pb2

FD = descriptor_pb2.FieldDescriptorProto
S = {"type": "string"}


class ShapeMappingTest(unittest.TestCase):

    def test_scalars_are_optional_and_json_names_are_member_names(self):
        g = generate(model({
            "In": {"type": "structure", "members": {
                "desiredCount": {"shape": "Int"}, "Name": {"shape": "Str"},
                "Big": {"shape": "Long"}, "On": {"shape": "Bool"}, "F": {"shape": "Float"},
                "D": {"shape": "Double"}, "Data": {"shape": "Blob"}}},
            "Int": {"type": "integer"}, "Str": S, "Long": {"type": "long"},
            "Bool": {"type": "boolean"}, "Float": {"type": "float"}, "Double": {"type": "double"},
            "Blob": {"type": "blob"},
        }, {"Do": op("Do", "In")}))
        want = {"desired_count": (FD.TYPE_INT32, "desiredCount"), "name": (FD.TYPE_STRING, "Name"),
                "big": (FD.TYPE_INT64, "Big"), "on": (FD.TYPE_BOOL, "On"),
                "f": (FD.TYPE_FLOAT, "F"), "d": (FD.TYPE_DOUBLE, "D"),
                "data": (FD.TYPE_BYTES, "Data")}
        for name, (type_, json_name) in want.items():
            f = g.field("DoRequest", name)
            self.assertEqual(f.type, type_, name)
            self.assertEqual(f.json_name, json_name, name)
            self.assertTrue(f.proto3_optional, f"{name} must be proto3 optional")

    def test_nested_lists_of_maps_and_lists_of_lists_use_wrappers(self):
        g = generate(model({
            "In": {"type": "structure", "members": {
                "Grid": {"shape": "Rows"}, "Tags": {"shape": "TagMaps"},
                "Groups": {"shape": "GroupMap"}}},
            "Rows": {"type": "list", "member": {"shape": "Row"}},
            "Row": {"type": "list", "member": {"shape": "Int"}},
            "TagMaps": {"type": "list", "member": {"shape": "TagMap"}},
            "TagMap": {"type": "map", "key": S and {"shape": "Str"}, "value": {"shape": "Str"}},
            "GroupMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Row"}},
            "Int": {"type": "integer"}, "Str": S,
        }, {"Do": op("Do", "In")}))
        grid = g.field("DoRequest", "grid")
        self.assertEqual(grid.label, FD.LABEL_REPEATED)
        self.assertEqual(grid.type_name, ".protogentest.sample.v1.Row")
        row = g.message("Row")
        self.assertTrue(row.options.Extensions[options_pb2.shape].is_wrapper)
        self.assertEqual([(f.name, f.label, f.type) for f in row.field],
                         [("values", FD.LABEL_REPEATED, FD.TYPE_INT32)])
        self.assertEqual(g.field("DoRequest", "tags").type_name, ".protogentest.sample.v1.TagMap")
        self.assertIn("map<string, string> entries = 1", g.text)
        self.assertIn("map<string, Row> groups = 3", g.text)

    def test_recursive_shapes(self):
        g = generate(model({
            "Node": {"type": "structure", "members": {
                "Name": {"shape": "Str"}, "Children": {"shape": "Nodes"}, "Parent": {"shape": "Node"}}},
            "Nodes": {"type": "list", "member": {"shape": "Node"}},
            "Str": S,
        }, {"Walk": op("Walk", "Node", "Node")}))
        self.assertEqual(g.field("Node", "parent").type_name, ".protogentest.sample.v1.Node")
        self.assertEqual(g.field("Node", "children").type_name, ".protogentest.sample.v1.Node")
        self.assertEqual(g.field("WalkRequest", "parent").type_name, ".protogentest.sample.v1.Node")

    def test_timestamps_blobs_and_documents(self):
        g = generate(model({
            "In": {"type": "structure", "members": {
                "At": {"shape": "Time"}, "Iso": {"shape": "IsoTime"},
                "Http": {"shape": "Time", "location": "header", "locationName": "X-When",
                         "timestampFormat": "rfc822"},
                "Doc": {"shape": "Doc"}, "Docs": {"shape": "DocList"}, "Raw": {"shape": "Blob"}}},
            "Time": {"type": "timestamp"},
            "IsoTime": {"type": "timestamp", "timestampFormat": "iso8601"},
            "Doc": {"type": "structure", "members": {}, "document": True},
            "DocList": {"type": "list", "member": {"shape": "Doc"}},
            "Blob": {"type": "blob"},
        }, {"Do": op("Do", "In")}))
        self.assertEqual(g.field("DoRequest", "at").type_name, ".google.protobuf.Timestamp")
        self.assertEqual(g.member("DoRequest", "at").timestamp_format,
                         options_pb2.TIMESTAMP_FORMAT_DEFAULT)
        self.assertEqual(g.member("DoRequest", "iso").timestamp_format,
                         options_pb2.TIMESTAMP_FORMAT_ISO8601)
        http = g.member("DoRequest", "http")
        self.assertEqual(http.timestamp_format, options_pb2.TIMESTAMP_FORMAT_RFC822)
        self.assertEqual((http.location, http.location_name),
                         (options_pb2.LOCATION_HEADER, "X-When"))
        self.assertEqual(g.field("DoRequest", "doc").type_name, ".google.protobuf.Value")
        self.assertEqual(g.field("DoRequest", "docs").label, FD.LABEL_REPEATED)
        self.assertEqual(g.field("DoRequest", "raw").type, FD.TYPE_BYTES)
        self.assertIn('import "google/protobuf/struct.proto";', g.text)
        self.assertNotIn("message Doc ", g.text)

    def test_enums_are_prefixed_with_unspecified_zero_and_raw_sibling(self):
        g = generate(model({
            "In": {"type": "structure", "members": {
                "Status": {"shape": "Status"}, "All": {"shape": "StatusList"},
                "ByName": {"shape": "StatusMap"}}},
            "Status": {"type": "string", "enum": ["RUNNING", "t2.micro", "notStarted",
                                                  "UNSPECIFIED", "json-file", ""]},
            "StatusList": {"type": "list", "member": {"shape": "Status"}},
            "StatusMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Status"}},
            "Str": S,
        }, {"Do": op("Do", "In")}))
        e = g.enum("Status")
        names = [(v.name, v.number) for v in e.value]
        self.assertEqual(names[0], ("STATUS_UNSPECIFIED", 0))
        self.assertEqual([n for n, _ in names[1:]],
                         ["STATUS_RUNNING", "STATUS_T2_MICRO", "STATUS_NOT_STARTED",
                          "STATUS_UNSPECIFIED_2", "STATUS_JSON_FILE", "STATUS_EMPTY"])
        self.assertEqual([v.options.Extensions[options_pb2.aws_value] for v in e.value[1:]],
                         ["RUNNING", "t2.micro", "notStarted", "UNSPECIFIED", "json-file", ""])
        status = g.field("DoRequest", "status")
        self.assertEqual(status.type_name, ".protogentest.sample.v1.Status")
        raw = g.field("DoRequest", "status_raw")
        self.assertEqual((raw.type, raw.proto3_optional), (FD.TYPE_STRING, True))
        self.assertEqual(g.member("DoRequest", "status_raw").raw_of, "status")
        self.assertEqual(g.field("DoRequest", "all_raw").label, FD.LABEL_REPEATED)
        self.assertIn("map<string, string> by_name_raw", g.text)

    def test_unions_become_oneofs_with_wrapped_containers(self):
        g = generate(model({
            "In": {"type": "structure", "members": {"Value": {"shape": "Attr"}}},
            "Attr": {"type": "structure", "union": True, "members": {
                "S": {"shape": "Str"}, "N": {"shape": "Double"}, "L": {"shape": "StrList"},
                "M": {"shape": "StrMap"}, "E": {"shape": "Color"}}},
            "StrList": {"type": "list", "member": {"shape": "Str"}},
            "StrMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}},
            "Color": {"type": "string", "enum": ["RED"]},
            "Str": S, "Double": {"type": "double"},
        }, {"Do": op("Do", "In")}))
        attr = g.message("Attr")
        self.assertTrue(attr.options.Extensions[options_pb2.shape].is_union)
        self.assertEqual([o.name for o in attr.oneof_decl], ["value"])
        self.assertTrue(all(f.HasField("oneof_index") for f in attr.field))
        self.assertEqual([f.name for f in attr.field], ["s", "n", "l", "m", "e", "e_raw"])
        self.assertEqual(g.field("Attr", "l").type_name, ".protogentest.sample.v1.StrList")
        self.assertTrue(g.message("StrList").options.Extensions[options_pb2.shape].is_wrapper)
        self.assertTrue(g.message("StrMap").options.Extensions[options_pb2.shape].is_wrapper)

    def test_keyword_and_reserved_names_compile_in_cpp_and_python(self):
        members = {w: {"shape": "Str"} for w in
                   ["namespace", "class", "default", "message", "package", "option", "syntax",
                    "import", "from", "descriptor", "delete", "Operator", "int", "service"]}
        members["fooBar"] = {"shape": "Str"}
        members["FooBar"] = {"shape": "Str"}
        members["fooBarRaw"] = {"shape": "Str"}
        members["foo_bar"] = {"shape": "Color"}
        m = model({
            "In": {"type": "structure", "members": members},
            "Color": {"type": "string", "enum": ["RED"]},
            "Str": S,
            "DoRequest": {"type": "structure", "members": {"X": {"shape": "Str"}}},
            "Class": {"type": "structure", "members": {"Y": {"shape": "Str"}}},
            "Timestamp": {"type": "structure", "members": {"Z": {"shape": "Str"}}},
            "Out": {"type": "structure", "members": {
                "A": {"shape": "DoRequest"}, "B": {"shape": "Class"}, "C": {"shape": "Timestamp"}}},
        }, {"Do": op("Do", "In", "Out")})
        g = generate(m)
        names = [f.name for f in g.message("DoRequest").field]
        self.assertIn("namespace_value", names)
        self.assertIn("class_value", names)
        self.assertIn("from_value", names)
        self.assertIn("descriptor_value", names)
        self.assertIn("message", names)  # proto keywords are fine as field names
        self.assertEqual([n for n in names if n.startswith("foo_bar")],
                         ["foo_bar", "foo_bar_2", "foo_bar_raw", "foo_bar_3", "foo_bar_3_raw"])
        self.assertEqual(len(set(f.json_name for f in g.message("DoRequest").field)), len(names))
        # The shape named like the generated request message is renamed, not merged.
        self.assertEqual(g.field("DoResponse", "a").type_name, ".protogentest.sample.v1.DoRequestShape")
        self.assertEqual(g.field("DoResponse", "c").type_name, ".protogentest.sample.v1.TimestampShape")
        self.assertEqual(g.message("DoRequestShape").options.Extensions[options_pb2.shape].name,
                         "DoRequest")
        self._compile_cpp_and_import_python(g.text)

    def _compile_cpp_and_import_python(self, text):
        out = tempfile.mkdtemp(prefix="protogen-cpp-")
        compile_proto(text, "protogentest/sample.proto", [f"--cpp_out={out}", f"--python_out={out}"])
        subprocess.run([PROTOC, f"-I{REPO}/proto", f"--cpp_out={out}", f"--python_out={out}",
                        "awsgw/options.proto"], check=True)
        result = subprocess.run(
            ["g++", "-std=c++20", "-fsyntax-only", f"-I{out}", os.path.join(out, "protogentest/sample.pb.cc")],
            capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])
        script = ("import sys; sys.path.insert(0, sys.argv[1]); import protogentest.sample_pb2 as m; "
                  "r = m.DoRequest(namespace_value='a', class_value='b', from_value='c', "
                  "message='d'); assert m.DoRequest.FromString(r.SerializeToString()) == r")
        result = subprocess.run([sys.executable, "-c", script, out], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])

    def test_rest_json_bindings_and_operation_options(self):
        g = generate(model({
            "In": {"type": "structure", "required": ["AppId"], "payload": "Body", "members": {
                "AppId": {"shape": "Str", "location": "uri", "locationName": "appId"},
                "Path": {"shape": "Str", "location": "uri", "locationName": "Path"},
                "Max": {"shape": "Int", "location": "querystring", "locationName": "maxResults"},
                "Meta": {"shape": "StrMap", "location": "headers", "locationName": "X-Meta-"},
                "Token": {"shape": "Str", "idempotencyToken": True},
                "Json": {"shape": "Str", "jsonvalue": True, "location": "header",
                         "locationName": "X-Json"},
                "Body": {"shape": "Blob"}}},
            "Out": {"type": "structure", "members": {
                "Code": {"shape": "Int", "location": "statusCode"},
                "ItemId": {"shape": "Str", "locationName": "itemId"}}},
            "Missing": {"type": "structure", "members": {"message": {"shape": "Str"}},
                        "exception": True, "error": {"httpStatusCode": 404, "senderFault": True}},
            "Boom": {"type": "structure", "members": {}, "exception": True, "fault": True},
            "Str": {"type": "string", "min": 1, "max": 64, "sensitive": True},
            "Int": {"type": "integer"}, "Blob": {"type": "blob"},
            "StrMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}},
        }, {"Put": op("Put", "In", "Out", method="PUT", uri="/apps/{appId}/files/{Path+}?x=y",
                      errors=["Missing", "Boom"], idempotent=True,
                      http={"method": "PUT", "requestUri": "/apps/{appId}/files/{Path+}?x=y",
                            "responseCode": 201}),
            "Ping": op("Ping", readonly=True)}))
        app = g.member("PutRequest", "app_id")
        self.assertEqual((app.location, app.location_name, app.required, app.sensitive),
                         (options_pb2.LOCATION_URI, "appId", True, True))
        self.assertEqual((app.min, app.max), (1, 64))
        self.assertEqual(g.field("PutRequest", "app_id").json_name, "AppId")
        self.assertEqual(g.member("PutRequest", "max").location, options_pb2.LOCATION_QUERYSTRING)
        self.assertEqual(g.member("PutRequest", "meta").location, options_pb2.LOCATION_HEADERS)
        self.assertTrue(g.member("PutRequest", "token").idempotency_token)
        self.assertTrue(g.member("PutRequest", "json").jsonvalue)
        self.assertEqual(g.member("PutRequest", "body").location, options_pb2.LOCATION_PAYLOAD)
        self.assertEqual(g.member("PutResponse", "code").location,
                         options_pb2.LOCATION_STATUS_CODE)
        item = g.field("PutResponse", "item_id")
        self.assertEqual(item.json_name, "itemId")  # the body's wire name
        self.assertEqual(item.options.Extensions[options_pb2.member].name, "ItemId")
        put = g.method("Put")
        info = put.options.Extensions[options_pb2.operation]
        self.assertEqual((info.name, info.http_method, info.request_uri, info.success_code),
                         ("Put", "PUT", "/apps/{appId}/files/{Path+}?x=y", 201))
        self.assertEqual(list(info.errors), ["Missing", "Boom"])
        self.assertEqual(put.options.idempotency_level, descriptor_pb2.MethodOptions.IDEMPOTENT)
        self.assertEqual(g.method("Ping").options.idempotency_level,
                         descriptor_pb2.MethodOptions.NO_SIDE_EFFECTS)
        missing = g.message("Missing").options.Extensions[options_pb2.shape].error
        self.assertEqual((missing.code, missing.http_status, missing.fault),
                         ("Missing", 404, False))
        boom = g.message("Boom").options.Extensions[options_pb2.shape].error
        self.assertEqual((boom.code, boom.http_status, boom.fault), ("Boom", 500, True))
        # An operation without input or output still gets its own messages.
        self.assertEqual(list(g.message("PingRequest").field), [])
        self.assertEqual(g.method("Ping").output_type, ".protogentest.sample.v1.PingResponse")
        svc = g.service.options.Extensions[options_pb2.service]
        self.assertEqual(g.service.name, "TestServiceService")
        self.assertEqual(svc.protocol, options_pb2.PROTOCOL_REST_JSON_1)

    def test_aws_json_service_options(self):
        g = generate(model({"In": {"type": "structure", "members": {}}},
                           {"Go": op("Go", "In")}, protocol="json", json_version="1.0",
                           targetPrefix="Target", serviceId="ECS"))
        svc = g.service.options.Extensions[options_pb2.service]
        self.assertEqual((svc.protocol, svc.json_version, svc.target_prefix),
                         (options_pb2.PROTOCOL_AWS_JSON_1_0, "1.0", "Target"))
        self.assertEqual(g.service.name, "EcsService")

    def test_package_parts_that_are_keywords_are_suffixed(self):
        from protogen import naming
        self.assertEqual(naming.package_name("ecs"), "aws.ecs.v1")
        self.assertEqual(naming.package_name("case"), "aws.awscase.v1")
        self.assertEqual(naming.package_name("serverless-repo"), "aws.serverlessrepo.v1")

    def test_unsupported_protocol_is_a_clear_error(self):
        from protogen import schema
        with self.assertRaisesRegex(schema.GenerationError, "protocol 'query'"):
            generate(model({}, {}, protocol="query"))

    def test_documentation_becomes_wrapped_plain_text(self):
        g = generate(model({
            "In": {"type": "structure", "documentation": "<p>Starts a <code>task</code>.</p>"
                   "<ul><li><p>one &amp; two</p></li></ul>",
                   "members": {"A": {"shape": "Str", "documentation": "<p>" + "word " * 40 + "</p>"}}},
            "Str": S,
        }, {"Do": op("Do", "In", documentation="<p>Does it.</p>")}))
        self.assertIn("  // Does it.\n  rpc Do(", g.text)
        self.assertIn("// - one & two", g.text)
        self.assertNotIn("<p>", g.text)
        self.assertTrue(all(len(line) <= 100 for line in g.text.splitlines() if "//" in line))


class FieldNumberStabilityTest(unittest.TestCase):
    BASE = {
        "In": {"type": "structure", "members": {
            "A": {"shape": "Str"}, "B": {"shape": "Str"}, "C": {"shape": "Color"}}},
        "Color": {"type": "string", "enum": ["RED", "GREEN"]},
        "Str": S,
    }

    def numbers(self, g, msg="DoRequest"):
        return {f.name: f.number for f in g.message(msg).field}

    def test_numbers_survive_additions_removals_and_type_changes(self):
        lock = Lock()
        first = generate(model(self.BASE, {"Do": op("Do", "In")}), lock)
        self.assertEqual(self.numbers(first), {"a": 1, "b": 2, "c": 3, "c_raw": 4})

        changed = model(self.BASE, {"Do": op("Do", "In")})
        members = changed["shapes"]["In"]["members"]
        # A new member in the middle, B removed, A changes type.
        changed["shapes"]["In"]["members"] = {"Added": {"shape": "Str"}, "A": {"shape": "Int"},
                                             "C": members["C"]}
        changed["shapes"]["Int"] = {"type": "integer"}
        changed["shapes"]["Color"]["enum"] = ["GREEN", "BLUE"]
        lock = Lock.__new__(Lock)
        lock.__init__(__import__("json").loads(first.lock.dumps()))
        second = generate(changed, lock)
        nums = self.numbers(second)
        self.assertEqual(nums["c"], 3)
        self.assertEqual(nums["c_raw"], 4)
        self.assertEqual(nums["added"], 5)
        self.assertEqual(nums["a"], 6)  # retyped: a fresh number
        req = second.message("DoRequest")
        reserved = sorted(r.start for r in req.reserved_range)
        self.assertEqual(reserved, [1, 2])
        self.assertEqual(list(req.reserved_name), ["b"])
        colors = {v.name: v.number for v in second.enum("Color").value}
        self.assertEqual(colors, {"COLOR_UNSPECIFIED": 0, "COLOR_GREEN": 2, "COLOR_BLUE": 3})
        self.assertEqual([r.start for r in second.enum("Color").reserved_range], [1])

        # A member that comes back gets its old number again.
        members["B"] = {"shape": "Str"}
        lock3 = Lock(__import__("json").loads(second.lock.dumps()))
        third = generate(model(self.BASE, {"Do": op("Do", "In")}), lock3)
        self.assertEqual(self.numbers(third)["b"], 2)

    def test_generation_is_deterministic(self):
        m = model(self.BASE, {"Do": op("Do", "In")})
        self.assertEqual(generate(m).text, generate(m).text)


if __name__ == "__main__":
    unittest.main()
