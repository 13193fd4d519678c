#!/usr/bin/env bash
# Generates the TLS material the HTTP client tests use, into $1:
#   ca.pem / ca.key               test CA
#   server.pem / server.key       "localhost" + 127.0.0.1, signed by the test CA
#   wrong_host.pem / .key         "wrong-host.test" only, signed by the test CA
#   other_ca.pem                  an unrelated CA (for the wrong-CA test)
# EC P-256 keys: fast to make, accepted at OpenSSL's default security level.
set -euo pipefail
dir="$1"
cd "$dir"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

make_ca() {  # name, common name
  openssl req -x509 "${ec[@]}" -keyout "$1.key" -out "$1.pem" -days 2 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

make_leaf() {  # name, common name, subjectAltName
  openssl req "${ec[@]}" -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" \
    > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}

make_ca ca "awsgw http client test CA"
make_ca other_ca "awsgw unrelated CA"
make_leaf server localhost "DNS:localhost,IP:127.0.0.1"
make_leaf wrong_host wrong-host.test "DNS:wrong-host.test"
