#!/usr/bin/python3
"""Differential test: awsgw::auth's SigV4 signer against botocore's.

Generates a few hundred randomized requests (fixed seed), signs each with
botocore.auth.SigV4Auth (time frozen) and with the C++ helper
sigv4_sign_tool (one JSON request per line on its stdin), and compares the
Authorization header, X-Amz-Date, X-Amz-Security-Token, x-amz-content-sha256
and the canonical request. Prints how many requests matched; exits non-zero on
any mismatch, or if the generator failed to cover a feature it is meant to
exercise (so the test cannot pass vacuously).

Requests are shaped like the gateway's: awsJson POSTs to the operations of
the ECS and App Runner models, restJson requests built from the Amplify,
AppConfig and Serverless Application Repository URI templates (models read
from AWS_DATA_PATH, falling back to built-in shapes when absent), plus
free-form paths and queries full of unicode and reserved characters.

Where botocore and AWS's SigV4 rules differ, the generator only produces
inputs on which they agree, and the C++ signer follows AWS:
  * botocore builds the canonical query from the URL's query string as it
    is, sorted but neither decoded nor re-encoded; AWS (and we) decode and
    re-encode each key and value. The generator therefore writes query
    strings already in canonical encoding (RFC 3986 unreserved set, uppercase
    hex, %20 for space), which is what the gateway's translators send.
  * botocore splits header values on Python's str.split() whitespace, which
    includes \\v, \\f, \\x1c-\\x1f and Unicode spaces; AWS trims and collapses
    spaces and tabs. Header values here are printable ASCII, spaces and tabs
    (all any HTTP header may carry).
  * botocore signs a Date header instead of X-Amz-Date when one is present,
    and takes a caller-supplied X-Amz-Content-SHA256 as the payload hash; the
    generator adds neither (X-Amz-Content-SHA256 appears only through the
    UNSIGNED-PAYLOAD option, which both handle the same way).
  * botocore keeps an empty item of "a=1&&b=2" as "="; we drop it. Query
    strings here have no empty items.
Contrary to what one might expect, botocore 1.29 does remove dot segments
and collapse empty segments for non-S3 services (botocore.utils
.normalize_url_path), and encodes the already-encoded wire path once more
with quote(safe='/~'), which is the double encoding AWS specifies. So paths
with "." and ".." segments, "//", and percent-escapes are all in scope.
"""

import argparse
import datetime
import json
import random
import subprocess
import sys
import types
from unittest import mock
from urllib.parse import quote

import botocore
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.session

SEED = 20150830
REQUEST_COUNT = 400

UNRESERVED = "-_.~"
SUB_DELIMS = "!$&'()*+,;=:@"
REGIONS = ["us-east-1", "eu-west-3", "ap-southeast-2", "us-gov-west-1", "cn-north-1"]
WORDS = ["apps", "branches", "main", "feature", "v1", "a", "Z9", "config", "x-y_z", "~tilde"]
UNICODE_BITS = ["ሴ", "é", "日本語", "💡", "ñandú", "Ω", "\u00a0nbsp", "straße"]
RESERVED_BITS = [" ", "%", "/", "?", "#", "[", "]", "+", "&", "=", ";", ",", ":", "@", "$",
                 "!", "'", "(", ")", "*", '"', "<", ">", "\\", "^", "`", "{", "|", "}", "%2F",
                 "%20"]

# Fallback operation shapes when the models are not on AWS_DATA_PATH.
FALLBACK_JSON_OPS = [("ecs", "AmazonEC2ContainerServiceV20141113", "1.1", "ListClusters"),
                     ("apprunner", "AppRunner", "1.0", "ListServices")]
# None of the five models has a greedy label ({name+}, which keeps its '/'),
# but restJson1 allows them; this synthetic template is used 10% of the time.
GREEDY_REST_OP = ("serverlessrepo", "GET", "/objects/{Key+}")
FALLBACK_REST_OPS = [("amplify", "GET", "/apps/{appId}/branches/{branchName}"),
                     ("appconfig", "GET", "/applications/{ApplicationId}/environments"),
                     ("serverlessrepo", "GET", "/applications/{ApplicationId}")]


def load_operations():
    """Returns ([(service, target_prefix, json_version, op)], [(service, method, uri)])."""
    json_ops, rest_ops = [], []
    try:
        session = botocore.session.get_session()
        for name in ["ecs", "apprunner", "amplify", "appconfig", "serverlessrepo"]:
            model = session.get_service_model(name)
            for op_name in model.operation_names:
                op = model.operation_model(op_name)
                if model.metadata["protocol"] == "json":
                    json_ops.append((model.signing_name, model.metadata["targetPrefix"],
                                     model.metadata.get("jsonVersion", "1.0"), op_name))
                else:
                    rest_ops.append((model.signing_name, op.http["method"],
                                     op.http["requestUri"]))
    except Exception as error:  # models absent or unreadable: use the fallback shapes
        print(f"note: service models not loaded ({error}); using built-in operation shapes")
    return json_ops or FALLBACK_JSON_OPS, rest_ops or FALLBACK_REST_OPS


def random_text(rng, max_parts=4):
    parts = []
    for _ in range(rng.randint(1, max_parts)):
        pool = rng.choice([WORDS, UNICODE_BITS, RESERVED_BITS])
        parts.append(rng.choice(pool))
    return "".join(parts)


def encode_label(rng, text, greedy=False):
    """Wire form of a path label. Canonical (quote everything but unreserved)
    or, sometimes, with sub-delimiters left literal, which is also valid in a
    path and exercises the double encoding of characters we did not escape."""
    safe = UNRESERVED + (SUB_DELIMS if rng.random() < 0.3 else "") + ("/" if greedy else "")
    return quote(text, safe=safe)


def encode_query_part(text):
    # Canonical encoding only: see the module docstring (botocore does not
    # re-encode URL queries).
    return quote(text, safe=UNRESERVED)


def random_query(rng, stats):
    items = []
    keys = [random_text(rng, 2) for _ in range(rng.randint(1, 4))]
    for _ in range(rng.randint(0, 6)):
        key = rng.choice(keys)
        roll = rng.random()
        if roll < 0.15:
            items.append(encode_query_part(key))  # no '=' at all
            stats["query_without_equals"] += 1
        elif roll < 0.3:
            items.append(encode_query_part(key) + "=")
            stats["empty_query_values"] += 1
        else:
            items.append(encode_query_part(key) + "=" + encode_query_part(random_text(rng)))
    if len({item.split("=")[0] for item in items}) < len(items):
        stats["repeated_query_keys"] += 1
    return "&".join(items)


def random_header_value(rng):
    printable = [chr(c) for c in range(0x21, 0x7f)]
    value = "".join(rng.choice(printable + [" ", " ", "\t"]) for _ in range(rng.randint(0, 24)))
    if rng.random() < 0.3:
        value = rng.choice(["  ", "\t", " \t "]) + value + rng.choice(["  ", "\t", ""])
    if rng.random() < 0.2:
        value = '"a   b\t\tc"'
    return value


def random_headers(rng, host, stats):
    headers = [("Host", host)]
    names = ["X-Amz-Meta-Foo", "x-amz-meta-foo", "X-Custom", "Accept", "Content-Type",
             "X-Amz-Client-Context", "If-Match", "x-amzn-Grpc-Id", "My-Header1"]
    for _ in range(rng.randint(0, 6)):
        headers.append((rng.choice(names), random_header_value(rng)))
    # Headers both signers leave unsigned.
    for name in ["User-Agent", "X-Amzn-Trace-Id", "Expect"]:
        if rng.random() < 0.15:
            headers.append((name, "never-signed " + str(rng.randint(0, 99))))
            stats["unsigned_headers"] += 1
    lowered = [name.lower() for name, _ in headers]
    if len(set(lowered)) < len(lowered):
        stats["multi_value_headers"] += 1
    rng.shuffle(headers)
    return headers


def random_credentials(rng, stats):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    akid = rng.choice(["AKIA", "ASIA"]) + "".join(rng.choice(alphabet) for _ in range(16))
    b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    secret = "".join(rng.choice(b64) for _ in range(40))
    token = ""
    if rng.random() < 0.4:
        token = "".join(rng.choice(b64) for _ in range(rng.randint(100, 900))) + "=="
        stats["session_tokens"] += 1
    return akid, secret, token


def fill_uri(rng, uri, stats):
    path, _, constant_query = uri.partition("?")
    out = []
    for segment in path.split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            greedy = segment.endswith("+}")
            label = random_text(rng)
            if greedy:
                label = label + "/" + random_text(rng)
                stats["greedy_labels"] += 1
            out.append(encode_label(rng, label, greedy))
        else:
            out.append(segment)
    return "/".join(out), constant_query


def generate(rng, json_ops, rest_ops, stats):
    akid, secret, token = random_credentials(rng, stats)
    region = rng.choice(REGIONS)
    timestamp = datetime.datetime(2015, 1, 1) + datetime.timedelta(
        seconds=rng.randint(0, 16 * 365 * 24 * 3600))
    kind = rng.random()
    if kind < 0.35:
        service, prefix, version, op = rng.choice(json_ops)
        host = f"{service}.{region}.amazonaws.com"
        body = json.dumps({"name": random_text(rng), "tags": [random_text(rng) for _ in range(3)],
                           "pad": "x" * rng.randint(0, 1024)}, ensure_ascii=rng.random() < 0.5)
        method, path, query = "POST", "/", ""
        headers = [("Host", host), ("Content-Type", f"application/x-amz-json-{version}"),
                   ("X-Amz-Target", f"{prefix}.{op}")]
        if rng.random() < 0.5:
            headers.append(("User-Agent", "awsgw/0.1"))
        stats["aws_json_posts"] += 1
    elif kind < 0.75:
        service, method, uri = GREEDY_REST_OP if rng.random() < 0.1 else rng.choice(rest_ops)
        host = f"{service}.{region}.amazonaws.com"
        path, query = fill_uri(rng, uri, stats)
        extra = random_query(rng, stats)
        query = "&".join(part for part in [encode_query_part_pairs(query), extra] if part)
        body = json.dumps({"description": random_text(rng)}, ensure_ascii=False) \
            if method in ("POST", "PUT", "PATCH") else ""
        headers = random_headers(rng, host, stats)
        stats["rest_json_requests"] += 1
    else:
        service = rng.choice(["ecs", "amplify", "service"])
        host = rng.choice([f"{service}.{region}.amazonaws.com", "localhost:8443", "127.0.0.1"])
        method = rng.choice(["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD"])
        segments = []
        for _ in range(rng.randint(0, 6)):
            roll = rng.random()
            if roll < 0.1:
                segments.append(rng.choice([".", ".."]))
                stats["dot_segments"] += 1
            elif roll < 0.2:
                segments.append("")  # empty segment: "//"
            else:
                segments.append(encode_label(rng, random_text(rng)))
        path = "/" + "/".join(segments) + ("/" if rng.random() < 0.3 else "")
        query = random_query(rng, stats)
        body = random_text(rng, 8) if rng.random() < 0.5 else ""
        headers = random_headers(rng, host, stats)
        stats["free_form_requests"] += 1
    unsigned_payload = rng.random() < 0.1
    if unsigned_payload:
        stats["unsigned_payload"] += 1
    if any(ord(c) > 127 for c in path + query):
        stats["non_ascii_wire"] += 1  # can't happen: wire form is ASCII
    if "%25" in path or "%2F" in path or "%20" in path:
        stats["escaped_paths"] += 1
    return {
        "method": method, "path": path, "query": query, "headers": headers, "body": body,
        "access_key_id": akid, "secret_access_key": secret, "session_token": token,
        "region": region, "service": service,
        "timestamp": timestamp.strftime("%Y%m%dT%H%M%SZ"), "unsigned_payload": unsigned_payload,
    }


def encode_query_part_pairs(constant_query):
    """Canonically encodes the constant query of a URI template ("x-id=Foo")."""
    if not constant_query:
        return ""
    out = []
    for item in constant_query.split("&"):
        key, sep, value = item.partition("=")
        out.append(encode_query_part(key) + (("=" + encode_query_part(value)) if sep else ""))
    return "&".join(out)


class _RecordingSigV4Auth(botocore.auth.SigV4Auth):
    """SigV4Auth that remembers the canonical request it signed."""

    last_canonical_request = None

    def canonical_request(self, request):
        self.last_canonical_request = super().canonical_request(request)
        return self.last_canonical_request


def sign_with_botocore(spec):
    frozen = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
    url = f"https://{dict((k.lower(), v) for k, v in spec['headers'])['host']}{spec['path']}"
    if spec["query"]:
        url += "?" + spec["query"]
    request = botocore.awsrequest.AWSRequest(method=spec["method"], url=url,
                                             data=spec["body"].encode("utf-8"))
    for name, value in spec["headers"]:
        request.headers[name] = value  # HTTPHeaders appends: repeats are kept in order
    if spec["unsigned_payload"]:
        request.context["payload_signing_enabled"] = False
    credentials = botocore.credentials.Credentials(
        spec["access_key_id"], spec["secret_access_key"], spec["session_token"] or None)
    signer = _RecordingSigV4Auth(credentials, spec["service"], spec["region"])
    # Freeze botocore's clock. Newer botocore reads it through
    # botocore.auth.get_current_datetime; 1.29 calls datetime.datetime.utcnow().
    if hasattr(botocore.auth, "get_current_datetime"):
        patch = mock.patch.object(botocore.auth, "get_current_datetime", return_value=frozen)
    else:
        class FrozenDatetime(datetime.datetime):
            @classmethod
            def utcnow(cls):
                return frozen
        patch = mock.patch.object(botocore.auth, "datetime",
                                  types.SimpleNamespace(datetime=FrozenDatetime))
    with patch:
        signer.add_auth(request)
    return {
        "canonical_request": signer.last_canonical_request,
        "authorization": request.headers.get("Authorization"),
        "x_amz_date": request.headers.get("X-Amz-Date"),
        "x_amz_security_token": request.headers.get("X-Amz-Security-Token"),
        "x_amz_content_sha256": request.headers.get("X-Amz-Content-SHA256"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", required=True, help="path to sigv4_sign_tool")
    parser.add_argument("--count", type=int, default=REQUEST_COUNT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    json_ops, rest_ops = load_operations()
    stats = {key: 0 for key in [
        "aws_json_posts", "rest_json_requests", "free_form_requests", "session_tokens",
        "unsigned_payload", "repeated_query_keys", "empty_query_values", "query_without_equals",
        "multi_value_headers", "unsigned_headers", "dot_segments", "greedy_labels",
        "escaped_paths", "non_ascii_wire"]}
    specs = [generate(rng, json_ops, rest_ops, stats) for _ in range(args.count)]

    tool_input = "".join(json.dumps(spec, ensure_ascii=False) + "\n" for spec in specs)
    completed = subprocess.run([args.tool], input=tool_input.encode("utf-8"),
                               capture_output=True, check=False, timeout=60)
    if completed.returncode != 0:
        print(f"FAIL: sigv4_sign_tool exited {completed.returncode}: {completed.stderr.decode()}")
        return 1
    results = [json.loads(line) for line in completed.stdout.decode("utf-8").splitlines()]
    if len(results) != len(specs):
        print(f"FAIL: tool answered {len(results)} lines for {len(specs)} requests")
        return 1

    matched = 0
    mismatches = []
    for index, (spec, ours) in enumerate(zip(specs, results)):
        theirs = sign_with_botocore(spec)
        if not ours.get("ok"):
            mismatches.append((index, spec, f"our signer failed: {ours.get('error')}", theirs, ours))
            continue
        differing = [key for key in ["authorization", "x_amz_date", "x_amz_security_token",
                                     "x_amz_content_sha256", "canonical_request"]
                     if ours.get(key) != theirs.get(key)]
        if differing:
            mismatches.append((index, spec, "differs in " + ", ".join(differing), theirs, ours))
        else:
            matched += 1

    for index, spec, why, theirs, ours in mismatches[:5]:
        print(f"--- request #{index}: {why}")
        print("    spec:", json.dumps(spec, ensure_ascii=False)[:600])
        print("    botocore canonical request:\n" + str(theirs.get("canonical_request")))
        print("    our canonical request:\n" + str(ours.get("canonical_request")))
        print("    botocore authorization:", theirs.get("authorization"))
        print("    our authorization:     ", ours.get("authorization"))

    print(f"botocore {botocore.__version__} differential: {matched}/{len(specs)} requests matched "
          f"(seed {args.seed})")
    print("coverage: " + ", ".join(f"{key}={value}" for key, value in stats.items()))

    # Every feature the generator is meant to exercise must have been hit.
    required = [key for key in stats if key != "non_ascii_wire"]
    uncovered = [key for key in required if stats[key] == 0]
    if uncovered:
        print("FAIL: generator did not cover: " + ", ".join(uncovered))
        return 1
    if stats["non_ascii_wire"]:
        print("FAIL: generator produced a non-ASCII wire path or query")
        return 1
    if mismatches or matched < 300:
        print(f"FAIL: {len(mismatches)} mismatches")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
