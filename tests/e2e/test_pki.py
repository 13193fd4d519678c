"""Test certificate authorities and certificates, made with the openssl CLI.

    ca = TestCa(folder, "trusted")
    server = ca.issue("server", "/CN=localhost", dns=["localhost"], ips=["127.0.0.1"],
                      usage="serverAuth")
    client = ca.issue("web", "/CN=web", uris=["spiffe://example.org/ns/prod/sa/web"],
                      usage="clientAuth")
    # server.cert, server.key, ca.cert: paths of PEM files

EC P-256 keys: quick to make.
"""

import os
import subprocess

_EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


class Issued:
    def __init__(self, cert, key):
        self.cert = cert
        self.key = key


class TestCa:
    def __init__(self, folder, name):
        self.folder = folder
        self.name = name
        self.cert = os.path.join(folder, f"{name}-ca.pem")
        self._key = os.path.join(folder, f"{name}-ca.key")
        self._openssl("req", "-x509", *_EC, "-keyout", self._key, "-out", self.cert, "-days", "2",
                      "-subj", f"/CN=awsgw test CA {name}",
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def _openssl(self, *args):
        subprocess.run(["openssl", *args], cwd=self.folder, check=True, capture_output=True)

    def issue(self, name, subject, dns=(), ips=(), uris=(), usage="clientAuth"):
        key = os.path.join(self.folder, f"{name}.key")
        cert = os.path.join(self.folder, f"{name}.pem")
        csr = os.path.join(self.folder, f"{name}.csr")
        ext = os.path.join(self.folder, f"{name}.ext")
        self._openssl("req", *_EC, "-keyout", key, "-out", csr, "-subj", subject)
        sans = [f"DNS:{d}" for d in dns] + [f"IP:{i}" for i in ips] + [f"URI:{u}" for u in uris]
        with open(ext, "w", encoding="utf-8") as f:
            f.write("basicConstraints=CA:FALSE\n")
            f.write(f"extendedKeyUsage={usage}\n")
            if sans:
                f.write("subjectAltName=" + ",".join(sans) + "\n")
        self._openssl("x509", "-req", "-in", csr, "-CA", self.cert, "-CAkey", self._key,
                      "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", cert)
        return Issued(cert, key)


def read(path):
    with open(path, "rb") as f:
        return f.read()
