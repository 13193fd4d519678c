"""The AWS protocol conformance suites (../shared/testdata/protocols), run
through the real translators.

Each case's own shapes and operation are turned into a proto by the project's
generator, so the cases exercise exactly the generic, descriptor-driven code
the gateway uses. Input cases: params -> message -> translators -> HTTP
request, compared with `serialized`. Output cases: HTTP response ->
translators -> message, compared with `result`, or with errorCode /
errorMessage / error for error cases.

Every case passes or is skipped with a reason written in SKIPS below; the
per-file counts are printed. Exits 77 (ctest: skipped) without ../shared.
"""

import json
import math
import os
import re
import sys
import unittest
from urllib.parse import unquote, urlsplit

from protocol_harness import Converter, Protos, Tool, b64, unb64

SHARED = os.environ.get("AWSGW_SHARED_DIR",
                        os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
SUITES = os.path.join(SHARED, "testdata", "protocols")
FILES = ["input/json.json", "input/json_1_0.json", "input/rest-json.json",
         "output/json.json", "output/json_1_0.json", "output/rest-json.json",
         "legacy/input/json.json", "legacy/input/rest-json.json",
         "legacy/output/json.json", "legacy/output/rest-json.json"]
FIXED_UUID = "00000000-0000-4000-8000-000000000000"

if not os.path.isdir(SUITES):
    print(f"SKIP: protocol suites not found at {SUITES} (set AWSGW_SHARED_DIR)")
    sys.exit(77)

# Cases the gateway does not pass, each with the reason. Keyed by case id, or
# by "<file>#<suite index>.<case index>" for legacy cases without ids.
EMPTY = ("proto3 cannot tell an empty list or map from an unset one, so the gateway "
         "never sends an empty one (see README)")
SKIPS = {
    "serializes_empty_list_shapes": EMPTY,
    "serializes_empty_map_shapes": EMPTY,
    "RestJsonListsEmpty": EMPTY,
    "RestJsonNullAndEmptyHeaders": EMPTY,  # its X-C header is an empty list
    "legacy/input/json.json#5.0": EMPTY,
    "legacy/input/rest-json.json#25.6":
        "botocore-specific: a streaming blob body sent without Content-Length",
    "legacy/output/json.json#3.1":
        "malformed shape (a 'string' with map key and value) that only botocore tolerates",
    "legacy/output/rest-json.json#17.2":
        "botocore-specific SDK_UNKNOWN_MEMBER marker; the gateway ignores unknown union members",
}
# Cases whose request is checked but whose server-side decode cannot give the
# same message back, by design.
ROUND_TRIP_SKIPS = {
    # A query map entry whose key a named query member already uses is not
    # sent, so it cannot come back.
    "RestJsonQueryPrecedence", "RestJsonAllQueryStringTypes", "RestJsonQueryStringEscaping",
    "RestJsonSupportsInfinityFloatQueryValues", "RestJsonSupportsNaNFloatQueryValues",
    "RestJsonSupportsNegativeInfinityFloatQueryValues", "RestJsonZeroAndFalseQueryValues",
    # The default Content-Type sent with a blob payload is read back into the
    # member bound to Content-Type.
    "RestJsonHttpWithEmptyBlobPayload", "legacy/input/rest-json.json#25.7",
}
# Whole features the gateway does not implement, matched on the case's operation.
FEATURE_SKIPS = [
    (lambda given, case: "requestcompression" in given,
     "gzip request compression: no service the gateway fronts uses it"),
    (lambda given, case: given.get("httpChecksumRequired"),
     "Content-MD5 for httpChecksumRequired: no service the gateway fronts uses it"),
    (lambda given, case: any(s for s in case.get("_eventstream", [])),
     "event streams: no service the gateway fronts uses them"),
]


def load(rel):
    with open(os.path.join(SUITES, rel), encoding="utf-8") as f:
        return json.load(f)


def case_key(rel, si, ci, case):
    return case.get("id") or f"{rel}#{si}.{ci}"


def model_for(suite, case):
    given = dict(case["given"])
    given.setdefault("http", {"method": "POST", "requestUri": "/"})
    if not given.get("errors"):
        # Legacy cases list no errors: like botocore, any exception shape of the
        # model may be the answer.
        given["errors"] = [{"shape": name} for name, shape in suite["shapes"].items()
                           if shape.get("exception")]
    meta = dict(suite["metadata"])
    meta.setdefault("serviceId", "Conformance")
    return {"metadata": meta, "shapes": suite["shapes"], "operations": {given["name"]: given}}


def uses_eventstream(suite):
    return any(s.get("eventstream") or s.get("event") for s in suite["shapes"].values())


# ---- comparisons -------------------------------------------------------------------

def same_value(expected, actual):
    if isinstance(expected, float) or isinstance(actual, float):
        if isinstance(expected, str) or isinstance(actual, str):
            expected = float(str(expected).replace("Infinity", "inf"))
            actual = float(str(actual).replace("Infinity", "inf"))
        if math.isnan(expected) and math.isnan(actual):
            return True
        return isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and \
            math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-6)
    if isinstance(expected, dict) and isinstance(actual, dict):
        keys = set(expected) | set(actual)
        return all(same_value(expected.get(k), actual.get(k)) for k in keys)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(same_value, expected, actual))
    return expected == actual


def without_empty_containers(value):
    """Proto3 cannot tell an empty list or map from an unset one: drop them."""
    if isinstance(value, dict):
        return {k: without_empty_containers(v) for k, v in value.items()
                if not (isinstance(v, (list, dict)) and not v and k != "__root__")}
    if isinstance(value, list):
        return [without_empty_containers(v) for v in value]
    return value


def json_or_none(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def query_pairs(query):
    return sorted((unquote(k), unquote(v)) for k, v in query)


def expected_query(uri_query):
    pairs = []
    for item in uri_query.split("&") if uri_query else []:
        k, _, v = item.partition("=")
        pairs.append((unquote(k), unquote(v)))
    return sorted(pairs)


def header_value(headers, name):
    for n, v in headers:
        if n.lower() == name.lower():
            return v
    return None


def check_input(case, suite, answer):
    """Problems with an encoded request (empty list: it matches)."""
    ser = case["serialized"]
    given = case["given"]
    problems = []
    if "error" in answer:
        return [f"encode failed: {answer['error']}"]
    method = ser.get("method") or given.get("http", {}).get("method", "POST")
    if answer["method"] != method:
        problems.append(f"method {answer['method']} != {method}")
    # The HTTP client puts the endpoint's base path in front (HostWithPath).
    endpoint = urlsplit(suite.get("clientEndpoint", "https://example.com"))
    path = endpoint.path.rstrip("/") + answer["path"]
    exp = urlsplit("http://x" + ser["uri"])
    if path != exp.path:
        problems.append(f"path {path!r} != {exp.path!r}")
    if query_pairs(answer["query"]) != expected_query(exp.query):
        problems.append(f"query {query_pairs(answer['query'])} != {expected_query(exp.query)}")
    body = unb64(answer["body"])
    for name, value in (ser.get("headers") or {}).items():
        got = header_value(answer["headers"], name)
        if name.lower() == "content-length":
            got = str(len(body)) if body else None
        norm = (lambda s: re.sub(r",\s*", ",", s)) if got is not None else None
        if got is None or norm(got) != norm(value):
            problems.append(f"header {name}: {got!r} != {value!r}")
    for name in ser.get("forbidHeaders") or []:
        present = bool(body) if name.lower() == "content-length" else \
            header_value(answer["headers"], name) is not None
        if present:
            problems.append(f"forbidden header {name} present")
    for name in ser.get("requireHeaders") or []:
        present = bool(body) if name.lower() == "content-length" else \
            header_value(answer["headers"], name) is not None
        if not present:
            problems.append(f"required header {name} missing")
    if "body" in ser:
        want = ser["body"]
        if want == "":
            if body:
                problems.append(f"body {body!r} != empty")
        else:
            want_json = json_or_none(want)
            got_json = json_or_none(body.decode("utf-8", errors="replace"))
            if want_json is not None and not isinstance(want_json, (int, float)) or \
                    (want_json is not None and got_json is not None):
                if not same_value(want_json, got_json):
                    problems.append(f"body {body!r} != {want!r}")
            elif body != want.encode("utf-8"):
                problems.append(f"body {body!r} != {want!r}")
    if "host" in ser:
        host = answer["host_prefix"] + endpoint.netloc + endpoint.path.rstrip("/")
        if host != ser["host"]:
            problems.append(f"host {host!r} != {ser['host']!r}")
    return problems


class ProtocolSuitesTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tool = Tool()
        cls.report = []

    @classmethod
    def tearDownClass(cls):
        cls.tool.close()
        print("\nprotocol suites:")
        for line in cls.report:
            print("  " + line)

    def run_file(self, rel):
        data = load(rel)
        slug = re.sub(r"[^a-z0-9]+", "", rel.replace(".json", ""))
        models, cases = {}, []
        for si, suite in enumerate(data):
            for ci, case in enumerate(suite["cases"]):
                key = case_key(rel, si, ci, case)
                package = f"conformance.{slug}.s{si}c{ci}"
                models[key] = (model_for(suite, case), package)
                cases.append((key, si, suite, case))
        protos = Protos(self.tool, models)
        conv = Converter(protos, legacy=rel.startswith("legacy/"))
        passed, skipped, failures = 0, {}, []
        for key, si, suite, case in cases:
            given = case["given"]
            reason = SKIPS.get(key) or next(
                (why for test, why in FEATURE_SKIPS if test(given, case)), None)
            if reason is None and uses_eventstream(suite):
                reason = "event streams: no service the gateway fronts uses them"
            if reason is None and key in protos.errors:
                reason = f"no proto: {protos.errors[key]}"
            if reason:
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            try:
                problems = (self.input_case(protos, conv, key, suite, case)
                            if rel.split("/")[-2] == "input" else
                            self.output_case(protos, conv, key, case))
            except Exception as e:  # a crash in one case must not hide the others
                problems = [f"{type(e).__name__}: {e}"]
            if problems:
                failures.append(f"{key} ({given['name']}): " + "; ".join(problems))
            else:
                passed += 1
        total = passed + sum(skipped.values()) + len(failures)
        line = f"{rel}: {passed} passed, {len(failures)} failed, {sum(skipped.values())} skipped " \
               f"of {total}"
        self.report.append(line)
        for why, n in sorted(skipped.items()):
            self.report.append(f"    skipped {n}: {why}")
        self.assertEqual(failures, [], line + "\n" + "\n".join(failures))
        self.assertGreater(passed, 0)

    def input_case(self, protos, conv, key, suite, case):
        method, request_type, _ = protos.method(key, case["given"]["name"])
        msg = conv.fill(protos.new(request_type), case.get("params") or {})
        answer = self.tool.call(cmd="encode_request", method=method,
                                message=b64(msg.SerializeToString()), uuid=FIXED_UUID)
        problems = check_input(case, suite, answer)
        if not problems and "error" not in answer and key not in ROUND_TRIP_SKIPS:
            problems = self.round_trip(protos, conv, method, request_type, answer)
        return problems

    def round_trip(self, protos, conv, method, request_type, answer):
        """The server side decodes what the client side encoded, back to the same message."""
        decoded = self.tool.call(cmd="decode_request", method=method, http_method=answer["method"],
                                 path=answer["path"], query=answer["query"],
                                 headers=answer["headers"], body=answer["body"])
        if "error" in decoded:
            return [f"server-side decode failed: {decoded['error']}"]
        back = protos.new(request_type)
        back.ParseFromString(unb64(decoded["message"]))
        sent = protos.new(request_type)
        sent.ParseFromString(unb64(answer["prepared"]))
        want = without_empty_containers(conv.read(sent))
        got = without_empty_containers(conv.read(back))
        if not same_value(want, got):
            return [f"round trip changed the message: {want} -> {got}"]
        return []

    def output_case(self, protos, conv, key, case):
        method, _, response_type = protos.method(key, case["given"]["name"])
        response = case["response"]
        headers = [[k, v] for k, v in (response.get("headers") or {}).items()]
        answer = self.tool.call(cmd="decode_response", method=method,
                                status=response["status_code"], headers=headers,
                                body=b64((response.get("body") or "").encode("utf-8")))
        if "errorCode" in case:
            err = answer.get("aws_error")
            if err is None:
                return [f"expected error {case['errorCode']}, got {answer}"]
            problems = []
            if err["code"] != case["errorCode"]:
                problems.append(f"code {err['code']!r} != {case['errorCode']!r}")
            if "errorMessage" in case and err["message"] != case["errorMessage"]:
                problems.append(f"message {err['message']!r} != {case['errorMessage']!r}")
            expected = without_empty_containers(case.get("error") or {})
            if expected:
                if "modeled" not in err:
                    return problems + [f"error members not decoded: {expected}"]
                modeled = protos.new(err["modeled_type"])
                modeled.ParseFromString(unb64(err["modeled"]))
                got = conv.read(modeled)
                if not same_value(expected, got):
                    problems.append(f"error members {got} != {expected}")
            return problems
        if "error" in answer or "aws_error" in answer:
            return [f"decode failed: {answer}"]
        msg = protos.new(response_type)
        msg.ParseFromString(unb64(answer["message"]))
        got = without_empty_containers(conv.read(msg))
        expected = without_empty_containers(case.get("result") or {})
        if not same_value(expected, got):
            return [f"result {got} != {expected}"]
        return []


def _add_tests():
    for rel in FILES:
        name = "test_" + re.sub(r"[^a-z0-9]+", "_", rel.replace(".json", ""))
        setattr(ProtocolSuitesTest, name, lambda self, rel=rel: self.run_file(rel))


_add_tests()

if __name__ == "__main__":
    unittest.main()
