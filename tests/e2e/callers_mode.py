"""The end-to-end suites once more with callers identified and a policy on.

With AWSGW_E2E_CALLERS=1 in the environment, every gateway a suite starts
through GatewayProcess gets a `callers` section (an API key and a policy
allowing that key everything, plus an audit file), merged into the suite's
own --config file if it passes one, and every gRPC channel the suite opens
sends the key. The suites' assertions then hold with authentication,
authorization, limits and audit in the path of every call (ctest:
e2e.with_callers.<suite>).
"""

import hashlib
import os
import tempfile

import grpc
import yaml

ENABLED = os.environ.get("AWSGW_E2E_CALLERS") == "1"
API_KEY = "e2e-suite-caller-key"
CALLERS = {
    "account_id": "123456789012",
    "authentication": {"api_keys": [{"sha256": hashlib.sha256(API_KEY.encode()).hexdigest(),
                                     "principal": "e2e-suite", "groups": ["suites"]}]},
    "policy": [{"id": "suites-may-do-everything", "effect": "allow",
                "principals": ["group:suites"], "actions": ["*"], "resources": ["*"]},
               {"id": "nobody-else", "effect": "deny", "principals": ["anonymous"],
                "actions": ["*"], "resources": ["*"]}],
    "limits": {"rules": [{"id": "generous", "principals": ["*"], "actions": ["*"],
                          "rate": 100000, "max_in_flight": 100000}]},
}


# Config keys holding file paths, which resolve against the file's folder.
PATH_KEYS = (("server", "tls", "cert_file"), ("server", "tls", "key_file"),
             ("server", "tls", "client_ca_file"), ("http", "extra_ca_file"))


def gateway_args(args):
    """`args` with a --config that has the callers section, and whether it
    was added (a suite's own callers section is left alone). The merged
    file goes to a scratch folder, never beside the suite's (which may be
    in the repository), with its relative paths made absolute."""
    args = list(args)
    folder = tempfile.mkdtemp(prefix="awsgw-e2e-callers-mode-")
    if "--config" in args:
        index = args.index("--config") + 1
        path = args[index]
        with open(path, encoding="utf-8") as f:
            config = yaml.safe_load(f) or {}
        base = os.path.dirname(os.path.abspath(path))
    else:
        config, index, base = {}, None, folder
    if not isinstance(config, dict) or "callers" in config:
        return args, False  # a suite that tests the file itself, or its own callers
    for keys in PATH_KEYS:
        node = config
        for key in keys[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(keys[-1]), str):
            node[keys[-1]] = os.path.join(base, node[keys[-1]])
    config["callers"] = dict(CALLERS, audit={"file": os.path.join(folder, "audit.jsonl")})
    merged = os.path.join(folder, "gateway.yaml")
    with open(merged, "w", encoding="utf-8") as f:
        yaml.safe_dump(config, f)
    if index is None:
        return args + ["--config", merged], True
    args[index] = merged
    return args, True


class _KeyInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    def _with_key(self, details):
        metadata = list(details.metadata or [])
        if not any(k == "x-api-key" for k, _ in metadata):
            metadata.append(("x-api-key", API_KEY))
        return details._replace(metadata=metadata) if hasattr(details, "_replace") else \
            _Details(details, metadata)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._with_key(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._with_key(details), request)


class _Details(grpc.ClientCallDetails):
    def __init__(self, details, metadata):
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = metadata
        self.credentials = details.credentials
        self.wait_for_ready = getattr(details, "wait_for_ready", None)
        self.compression = getattr(details, "compression", None)


def install():
    """Makes every channel opened from now on send the suite's API key."""
    if not ENABLED or getattr(grpc, "_awsgw_callers_mode", False):
        return
    insecure, secure = grpc.insecure_channel, grpc.secure_channel

    def insecure_channel(target, *args, **kwargs):
        return grpc.intercept_channel(insecure(target, *args, **kwargs), _KeyInterceptor())

    def secure_channel(target, *args, **kwargs):
        return grpc.intercept_channel(secure(target, *args, **kwargs), _KeyInterceptor())

    grpc.insecure_channel, grpc.secure_channel = insecure_channel, secure_channel
    grpc._awsgw_callers_mode = True
