"""The Kubernetes manifests of deploy/kubernetes: the base and every overlay
rendered with `kubectl kustomize` (whichever kubectl is on PATH: current
ones, and Debian 12's 1.20 with kustomize v2.0.3), then checked for what a
production pod needs, for references that hold together after kustomize
renamed things, and for what each overlay is for. The gateway configuration
each one ships is then checked by the gateway itself (`--check_config`), as
it would be mounted in the pod.

Without kubectl the rendering checks are skipped and the configuration
checks take the folders' gateway.yaml files instead; without AWSGW_GATEWAY
the configuration checks are skipped. Needs tests/e2e on PYTHONPATH (its
test_pki makes the mTLS overlay's certificates).
"""

import glob
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import unittest

import yaml

from test_pki import TestCa

HERE = os.path.dirname(os.path.abspath(__file__))
KUBERNETES = os.path.normpath(os.path.join(HERE, "..", "..", "deploy", "kubernetes"))
FOLDERS = ("base", "overlays/eks-irsa", "overlays/eks-pod-identity", "overlays/mtls",
           "overlays/emulator")
KUBECTL = shutil.which("kubectl")
GATEWAY = os.environ.get("AWSGW_GATEWAY")
CONFIG_FILE = "gateway.yaml"
# The default of server.shutdown_grace (README "Configuration").
DEFAULT_SHUTDOWN_GRACE = 10.0

_rendered = {}


def render(folder):
    """The documents `kubectl kustomize` makes of `folder`, rendered once."""
    if folder not in _rendered:
        # Current kustomize warns on stderr about the v2.0.3 field names the
        # manifests use on purpose; only the exit code counts.
        result = subprocess.run([KUBECTL, "kustomize", os.path.join(KUBERNETES, folder)],
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise AssertionError(f"kubectl kustomize {folder} failed:\n{result.stderr}")
        _rendered[folder] = [d for d in yaml.safe_load_all(result.stdout) if d]
    return _rendered[folder]


def of_kind(docs, kind):
    return [d for d in docs if d["kind"] == kind]


def one(docs, kind):
    found = of_kind(docs, kind)
    if len(found) != 1:
        raise AssertionError(f"expected one {kind}, found {len(found)}")
    return found[0]


def parse_duration(text):
    """Seconds in a gateway duration ("500ms", "25s", "1m30s")."""
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {text!r}")
    return sum(float(n) * units[u] for n, u in parts)


def config_map_of(docs, pod):
    """The rendered ConfigMap behind the pod's `config` volume."""
    volume = next(v for v in pod["volumes"] if "configMap" in v)
    name = volume["configMap"]["name"]
    found = [c for c in of_kind(docs, "ConfigMap") if c["metadata"]["name"] == name]
    if not found:
        raise AssertionError(f"the config volume names ConfigMap {name}, which is not rendered")
    return found[0]


def gateway_config(docs):
    deployment = one(docs, "Deployment")
    return yaml.safe_load(config_map_of(docs, deployment["spec"]["template"]["spec"])
                          ["data"][CONFIG_FILE])


def env_of(container):
    return {e["name"]: e.get("value") for e in container.get("env", [])}


def mounted_file(pod, container, path):
    """(volume, item) that puts the file `path` in `container`: the volume
    mounted at its folder, and the projected/secret item of that name."""
    folder, name = posixpath.split(path)
    mount = next((m for m in container.get("volumeMounts", []) if m["mountPath"] == folder), None)
    if mount is None:
        raise AssertionError(f"nothing is mounted at {folder} for {path}")
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    if "projected" in volume:
        items = [s["serviceAccountToken"] for s in volume["projected"]["sources"]
                 if "serviceAccountToken" in s]
    else:
        items = volume.get("secret", {}).get("items", [])
    item = next((i for i in items if i["path"] == name), None)
    if item is None:
        raise AssertionError(f"volume {mount['name']} at {folder} holds no {name}")
    return volume, item


def selects(selector, labels):
    """Whether a (non-empty) label selector picks pods with `labels`."""
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def listen_port(address):
    return int(address.rsplit(":", 1)[1])


class ManifestChecks:
    """What every rendering must hold, base and overlays alike; a subclass
    per folder adds what that overlay is for."""

    folder = None

    def setUp(self):
        if KUBECTL is None:
            self.skipTest("no kubectl on PATH: the manifests are not rendered")
        self.docs = render(self.folder)
        self.deployment = one(self.docs, "Deployment")
        self.pod = self.deployment["spec"]["template"]["spec"]
        self.gateway = self.pod["containers"][0]
        self.config = gateway_config(self.docs)

    def config_folder(self):
        """Where the pod finds the gateway's config file (--config=...)."""
        flag = next(a for a in self.gateway["args"] if a.startswith("--config="))
        return posixpath.split(flag[len("--config="):])

    def test_each_container_has_probes_and_resources(self):
        for container in self.pod["containers"]:
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                self.assertIn(probe, container, container["name"])
            for kind in ("requests", "limits"):
                self.assertEqual(set(container["resources"][kind]), {"cpu", "memory"},
                                 f"{container['name']} {kind}")

    def test_pods_run_as_non_root_on_a_read_only_root(self):
        pod_security = self.pod.get("securityContext", {})
        for container in self.pod["containers"]:
            security = container.get("securityContext", {})
            self.assertTrue(security.get("runAsNonRoot", pod_security.get("runAsNonRoot")))
            self.assertNotEqual(security.get("runAsUser", pod_security.get("runAsUser")), 0)
            self.assertIs(security.get("readOnlyRootFilesystem"), True)
            self.assertIs(security.get("allowPrivilegeEscalation"), False)
            self.assertIn("ALL", security.get("capabilities", {}).get("drop", []))

    def test_termination_grace_outlasts_the_shutdown_grace(self):
        # Kubernetes kills at terminationGracePeriodSeconds; the gateway needs
        # shutdown_grace for calls in flight and about a second more.
        grace = (self.config.get("server") or {}).get("shutdown_grace")
        seconds = parse_duration(grace) if grace else DEFAULT_SHUTDOWN_GRACE
        self.assertGreater(self.pod["terminationGracePeriodSeconds"], seconds + 1)

    def test_every_mount_has_its_volume_and_the_config_its_config_map(self):
        volumes = {v["name"]: v for v in self.pod["volumes"]}
        self.assertEqual(len(volumes), len(self.pod["volumes"]), "duplicate volume names")
        for container in self.pod["containers"]:
            for mount in container.get("volumeMounts", []):
                self.assertIn(mount["name"], volumes, mount["mountPath"])
        # kustomize hashed the ConfigMap's name; the volume must follow, and
        # hold the file --config names.
        self.assertEqual(self.gateway["name"], "gateway")
        folder, name = self.config_folder()
        mount = next(m for m in self.gateway["volumeMounts"] if m["mountPath"] == folder)
        config_map = config_map_of(self.docs, self.pod)
        self.assertEqual(volumes[mount["name"]]["configMap"]["name"],
                         config_map["metadata"]["name"])
        self.assertIn(name, config_map["data"])

    def test_ports_and_probes_match_the_configuration(self):
        ports = {p["name"]: p["containerPort"] for p in self.gateway["ports"]}
        self.assertEqual(ports["grpc"], listen_port(self.config["listen"]))
        self.assertEqual(ports["metrics"], listen_port(self.config["metrics"]["listen"]))
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            handler = self.gateway[probe]
            port = (handler.get("grpc") or handler.get("tcpSocket"))["port"]
            self.assertEqual(port, ports["grpc"], probe)
            # The kubelet's gRPC probe is plaintext: it fails against TLS.
            if "tls" in (self.config.get("server") or {}):
                self.assertNotIn("grpc", handler, f"{probe} under TLS")

    def test_service_account_disruption_budget_autoscaler_and_service(self):
        labels = self.deployment["spec"]["template"]["metadata"]["labels"]
        account = one(self.docs, "ServiceAccount")
        self.assertEqual(account["metadata"]["name"], "aws-grpc-gateway")
        self.assertEqual(self.pod["serviceAccountName"], account["metadata"]["name"])
        budget = one(self.docs, "PodDisruptionBudget")
        self.assertTrue(selects(budget["spec"]["selector"]["matchLabels"], labels))
        autoscaler = one(self.docs, "HorizontalPodAutoscaler")
        self.assertEqual(autoscaler["apiVersion"], "autoscaling/v2")
        self.assertEqual(autoscaler["spec"]["scaleTargetRef"]["name"],
                         self.deployment["metadata"]["name"])
        # The autoscaler owns the count: a `replicas` beside it would be
        # applied again by every `kubectl apply`, unless both pin the same one.
        if "replicas" in self.deployment["spec"]:
            self.assertEqual(autoscaler["spec"]["maxReplicas"], self.deployment["spec"]["replicas"])
        service = one(self.docs, "Service")
        self.assertTrue(selects(service["spec"]["selector"], labels))
        by_protocol = {p.get("appProtocol"): p for p in service["spec"]["ports"]}
        self.assertEqual(by_protocol["grpc"]["port"], listen_port(self.config["listen"]))
        port_names = {p["name"] for p in self.gateway["ports"]}
        for port in service["spec"]["ports"]:
            self.assertIn(port["targetPort"], port_names)


class BaseManifestsTest(ManifestChecks, unittest.TestCase):
    folder = "base"

    def test_callers_are_identified_by_service_account_tokens_over_plaintext(self):
        self.assertNotIn("tls", self.config.get("server") or {})
        issuer = self.config["callers"]["authentication"]["jwt"]["issuers"][0]
        self.assertEqual(issuer["jwks_url"], issuer["issuer"] + "/keys")
        self.assertEqual(issuer["audiences"], ["aws-grpc-gateway"])
        # No Kubernetes API token in a pod that never calls the API.
        self.assertIs(self.pod["automountServiceAccountToken"], False)


class EksIrsaManifestsTest(ManifestChecks, unittest.TestCase):
    folder = "overlays/eks-irsa"

    def test_the_annotated_role_is_assumed_with_an_sts_token(self):
        account = one(self.docs, "ServiceAccount")
        role = account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]
        self.assertRegex(role, r"^arn:aws:iam::\d{12}:role/")
        env = env_of(self.gateway)
        self.assertEqual(env["AWS_ROLE_ARN"], role)
        self.assertEqual(env["AWS_STS_REGIONAL_ENDPOINTS"], "regional")
        token = env["AWS_WEB_IDENTITY_TOKEN_FILE"]
        self.assertEqual(token, "/var/run/secrets/eks.amazonaws.com/serviceaccount/token")
        _, item = mounted_file(self.pod, self.gateway, token)
        self.assertEqual(item["audience"], "sts.amazonaws.com")


class EksPodIdentityManifestsTest(ManifestChecks, unittest.TestCase):
    folder = "overlays/eks-pod-identity"

    def test_the_agent_is_asked_with_a_pods_token(self):
        env = env_of(self.gateway)
        self.assertEqual(env["AWS_CONTAINER_CREDENTIALS_FULL_URI"],
                         "http://169.254.170.23/v1/credentials")
        token = env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]
        self.assertEqual(token, "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/"
                                "eks-pod-identity-token")
        _, item = mounted_file(self.pod, self.gateway, token)
        self.assertEqual(item["audience"], "pods.eks.amazonaws.com")


class MtlsManifestsTest(ManifestChecks, unittest.TestCase):
    folder = "overlays/mtls"

    def test_certificates_come_from_the_mounted_secret(self):
        self.assertIn("mtls", self.config["callers"]["authentication"])
        tls = self.config["server"]["tls"]
        # Relative paths are resolved against the config file's folder.
        folder, _ = self.config_folder()
        for key in ("cert_file", "key_file", "client_ca_file"):
            path = posixpath.normpath(posixpath.join(folder, tls[key]))
            volume, _ = mounted_file(self.pod, self.gateway, path)
            self.assertEqual(volume["secret"]["secretName"], "aws-grpc-gateway-tls", key)


class EmulatorManifestsTest(ManifestChecks, unittest.TestCase):
    folder = "overlays/emulator"

    def test_one_open_replica_runs_on_the_embedded_emulator(self):
        self.assertIn("--emulator", self.gateway["args"])
        self.assertEqual(self.deployment["spec"]["replicas"], 1)
        self.assertIs(self.config["callers"]["allow_unauthenticated"], True)


def shipped_configs():
    """(name, text) of every gateway.yaml the manifests ship: from the
    rendered ConfigMaps, or the folders' files without kubectl."""
    if KUBECTL is None:
        files = sorted(glob.glob(os.path.join(KUBERNETES, "**", CONFIG_FILE), recursive=True))
        return [(os.path.relpath(f, KUBERNETES), open(f, encoding="utf-8").read())
                for f in files]
    configs = []
    for folder in FOLDERS:
        for config_map in of_kind(render(folder), "ConfigMap"):
            if CONFIG_FILE in config_map.get("data", {}):
                configs.append((folder, config_map["data"][CONFIG_FILE]))
    return configs


def no_aws_env():
    return {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}


@unittest.skipIf(not GATEWAY, "AWSGW_GATEWAY is not set: the configurations are not checked")
class ConfigCheckTest(unittest.TestCase):
    """Each shipped configuration, laid out as in the pod (config/ and tls/
    side by side), passes the gateway's own start-up checks."""

    def folder(self):
        folder = tempfile.mkdtemp(prefix="awsgw-k8s-config-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        return folder

    def check(self, folder, text):
        """`aws-grpc-gateway --check_config` of `text` as <folder>/config/gateway.yaml."""
        path = os.path.join(folder, "config", CONFIG_FILE)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return subprocess.run([GATEWAY, "--check_config", "--config", path],
                              capture_output=True, text=True, timeout=60, env=no_aws_env())

    def make_tls_files(self, folder, tls):
        """A CA and a server certificate it signed, where `tls` names them
        (in the pod, the Secret's tls.crt, tls.key and ca.crt): the gateway
        reads and checks them."""
        pki = os.path.join(folder, "pki")
        os.makedirs(pki)
        ca = TestCa(pki, "k8s")
        server = ca.issue("server", "/CN=aws-grpc-gateway", dns=["aws-grpc-gateway"],
                          usage="serverAuth")
        for key, source in (("cert_file", server.cert), ("key_file", server.key),
                            ("client_ca_file", ca.cert)):
            if key in tls:
                target = os.path.normpath(os.path.join(folder, "config", tls[key]))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy(source, target)

    def test_every_shipped_configuration_would_start(self):
        configs = shipped_configs()
        self.assertTrue(configs)
        for name, text in configs:
            with self.subTest(config=name):
                folder = self.folder()
                tls = (yaml.safe_load(text).get("server") or {}).get("tls")
                if tls:
                    self.make_tls_files(folder, tls)
                result = self.check(folder, text)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_an_unknown_key_is_refused_with_its_line(self):
        text = shipped_configs()[0][1].rstrip("\n") + "\n"
        line = text.count("\n") + 1
        result = self.check(self.folder(), text + "unknown_setting: true\n")
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 2, output)
        self.assertIn("unknown_setting", output)
        self.assertIn(f"{CONFIG_FILE}:{line}:", output)


class LayoutTest(unittest.TestCase):

    def test_every_overlay_is_checked(self):
        overlays = sorted(os.listdir(os.path.join(KUBERNETES, "overlays")))
        self.assertEqual(["overlays/" + o for o in overlays], sorted(FOLDERS[1:]))


if __name__ == "__main__":
    unittest.main()
