#!/usr/bin/env python3
"""Loopback servers for the HTTP client tests (tests/http/client/).

Started once per test process by test_support.cc; prints one JSON line with
the ports, then serves until its stdin closes (the test process ended or
died). Everything listens on 127.0.0.1 only.

  http / https / https_wrong_host   one request handler, by path:
      /echo            200, JSON of method, target, headers (in order), body,
                       and the TLS server name (SNI) the client sent
      /slow?ms=N       /echo after N ms
      /status?code=N   an empty response with that status
      /close           /echo with "Connection: close", then closes
      /http10          an HTTP/1.0 response without keep-alive
      /interim         "100 Continue", then /echo
      /chunked         a chunked body "hello chunked world"
      /big?n=N         N bytes; /big-chunked?n=N the same, chunked
      /hang            never answers; waits for the client to go away
      /drop-mid        headers and 10 of 100 body bytes, then closes
      /close-now       reads the request, closes without answering
      /close-next      /echo; the next request on this connection is read
                       and the connection closed without an answer
      /idle-close?ms=N /echo, then closes the idle connection after N ms
    Every response carries X-Connection-Id: a number per accepted connection.
  silent       accepts TCP connections and never says anything
  proxy        HTTP CONNECT proxy that always connects to 127.0.0.1:<port>;
               GET /stats returns {"connects", "last_auth", "last_target"};
               a Proxy-Authorization for user "deny" gets 407.
"""
import argparse
import base64
import itertools
import json
import os
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_lock = threading.Lock()
_connection_ids = itertools.count(1)


def _close_socket(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with _lock:
            self.connection_id = next(_connection_ids)
        self.drop_next = False

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    # --- helpers ---------------------------------------------------------

    def abort(self):
        self.close_connection = True
        _close_socket(self.connection)

    def reply(self, status, body=b"", headers=(), close=False):
        self.send_response(status)
        self.send_header("X-Connection-Id", str(self.connection_id))
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def echo(self, body, close=False):
        doc = {
            "method": self.command,
            "target": self.path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": body.decode("latin-1"),
            "sni": getattr(self.connection, "sni", None),  # TLS server name, if any
        }
        self.reply(200, json.dumps(doc).encode(), [("Content-Type", "application/json")], close)

    def raw(self, data, close):
        self.wfile.write(data)
        if close:
            self.abort()

    def chunked(self, pieces):
        head = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                f"X-Connection-Id: {self.connection_id}\r\n\r\n").encode()
        self.wfile.write(head)
        for piece in pieces:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n\r\n")

    # --- routes ----------------------------------------------------------

    def dispatch(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.drop_next:
            self.abort()
            return
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        route = url.path
        if route == "/echo" or route.startswith("/echo/"):
            self.echo(body)
        elif route == "/slow":
            time.sleep(int(query.get("ms", "100")) / 1000)
            self.echo(body)
        elif route == "/status":
            self.reply(int(query.get("code", "200")))
        elif route == "/close":
            self.echo(body, close=True)
        elif route == "/http10":
            self.raw(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\nX-Connection-Id: %d\r\n\r\nok"
                     % self.connection_id, close=True)
        elif route == "/interim":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.echo(body)
        elif route == "/chunked":
            self.chunked([b"hello ", b"chunked ", b"world"])
        elif route == "/big":
            self.reply(200, b"x" * int(query["n"]))
        elif route == "/big-chunked":
            n = int(query["n"])
            self.chunked([b"x" * min(1000, n - i) for i in range(0, n, 1000)])
        elif route == "/hang":
            self.connection.settimeout(30)
            try:
                self.connection.recv(1)
            except OSError:
                pass
            self.abort()
        elif route == "/drop-mid":
            self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 10, close=True)
        elif route == "/close-now":
            self.abort()
        elif route == "/close-next":
            self.drop_next = True
            self.echo(body)
        elif route == "/idle-close":
            self.echo(body)
            threading.Timer(int(query.get("ms", "100")) / 1000, self.abort).start()
        else:
            self.reply(404, b"no such test route")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls_context=None):
        self.tls_context = tls_context
        super().__init__(("127.0.0.1", 0), Handler)

    def finish_request(self, request, client_address):
        if self.tls_context is not None:
            # Handshake here, on the connection's own thread, not in accept().
            request.settimeout(10)
            try:
                request = self.tls_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                request.close()
                return
            request.settimeout(None)
        try:
            self.RequestHandlerClass(request, client_address, self)
        finally:
            if self.tls_context is not None:
                _close_socket(request)
                request.close()

    def handle_error(self, request, client_address):
        pass  # clients vanishing mid-request is what several tests do


def tls_context(cert_dir, name):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(cert_dir, name + ".pem"),
                            os.path.join(cert_dir, name + ".key"))
    # Remember the SNI the client sent, for /echo.
    context.sni_callback = lambda sock, server_name, _: setattr(sock, "sni", server_name)
    return context


def listener():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def serve_silent(sock):
    held = []
    while True:
        conn, _ = sock.accept()
        held.append(conn)  # never read, never written, never closed


class Proxy:
    def __init__(self):
        self.sock = listener()
        self.connects = 0
        self.last_auth = None
        self.last_target = None

    def serve(self):
        while True:
            conn, _ = self.sock.accept()
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                conn.close()
                return
            data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if method == "GET" and target == "/stats":
            with _lock:
                body = json.dumps({"connects": self.connects, "last_auth": self.last_auth,
                                   "last_target": self.last_target}).encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                         % len(body) + body)
            conn.close()
            return
        if method != "CONNECT":
            conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            conn.close()
            return
        auth = headers.get("proxy-authorization")
        with _lock:
            self.connects += 1
            self.last_auth = auth
            self.last_target = target
        if auth == "Basic " + base64.b64encode(b"deny:deny").decode():
            conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                         b"Content-Length: 0\r\n\r\n")
            conn.close()
            return
        port = int(target.rsplit(":", 1)[1])
        try:
            upstream = socket.create_connection(("127.0.0.1", port))
        except OSError:
            conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            conn.close()
            return
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if rest:
            upstream.sendall(rest)
        threading.Thread(target=self.pipe, args=(conn, upstream), daemon=True).start()
        self.pipe(upstream, conn)

    @staticmethod
    def pipe(source, sink):
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                sink.sendall(chunk)
        except OSError:
            pass
        _close_socket(sink)
        _close_socket(source)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--certs", required=True)
    args = parser.parse_args()

    servers = {
        "http": Server(),
        "https": Server(tls_context(args.certs, "server")),
        "https_wrong_host": Server(tls_context(args.certs, "wrong_host")),
    }
    ports = {}
    for name, server in servers.items():
        ports[name] = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
    silent = listener()
    ports["silent"] = silent.getsockname()[1]
    threading.Thread(target=serve_silent, args=(silent,), daemon=True).start()
    proxy = Proxy()
    ports["proxy"] = proxy.sock.getsockname()[1]
    threading.Thread(target=proxy.serve, daemon=True).start()

    print(json.dumps(ports), flush=True)
    sys.stdin.read()  # until the test process closes the pipe or dies
    os._exit(0)


if __name__ == "__main__":
    main()
