"""A raw HTTP/2 client (Debian's python3-h2) for what a well-behaved gRPC
client never does: reset streams as fast as it opens them, send more
metadata than the server advertises, open calls and never read the answers.

    with H2Connection(address) as conn:
        conn.call("/aws.ecs.v1.EcsService/ListClusters", b"")
"""

import socket
import struct
import time

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions
import h2.settings


def grpc_frame(message):
    """A gRPC length-prefixed message (uncompressed)."""
    return struct.pack(">BI", 0, len(message)) + message


class H2Connection:
    def __init__(self, address, timeout=10, window=None):
        host, port = address.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=timeout)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.conn.initiate_connection()
        if window is not None:
            # A client that will not read: the server may send it only this
            # much per stream.
            self.conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: window})
        self.closed = False
        self.goaway = None
        self.refused = set()  # streams the server reset before answering on them
        self.flush()

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            try:
                self.sock.sendall(data)
            except OSError:
                self.closed = True

    def headers(self, path, metadata=()):
        return [(":method", "POST"), (":scheme", "http"), (":path", path),
                (":authority", "gateway"), ("content-type", "application/grpc"),
                ("te", "trailers"), *metadata]

    def start_call(self, path, message=b"", metadata=(), end=True):
        """Opens a stream and sends a whole unary request; returns its id."""
        stream = self.conn.get_next_available_stream_id()
        self.conn.send_headers(stream, self.headers(path, metadata))
        self.conn.send_data(stream, grpc_frame(message), end_stream=end)
        return stream

    def reset(self, stream):
        self.conn.reset_stream(stream, h2.errors.ErrorCodes.CANCEL)

    def round_trip(self, timeout=10):
        """Sends a PING and reads until its ACK: the server has then read
        everything sent before it. False if none came within `timeout`."""
        self._pings = getattr(self, "_pings", 0) + 1
        payload = self._pings.to_bytes(8, "big")
        self.conn.ping(payload)
        self.flush()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.closed:
            for event in self.read_events(min(0.5, max(0.0, deadline - time.monotonic()))):
                if isinstance(event, h2.events.PingAckReceived) and event.ping_data == payload:
                    return True
        return False

    def remote_settings(self, timeout=5):
        """The server's SETTINGS, once it sent them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.closed:
            if self.conn.remote_settings.get(h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS):
                break
            self.read_events(0.2)
        return self.conn.remote_settings

    def read_events(self, timeout):
        """The events of whatever arrives within `timeout` seconds."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(1 << 20)
        except socket.timeout:
            return []
        except OSError:
            self.closed = True
            return []
        if not data:
            self.closed = True
            return []
        try:
            events = self.conn.receive_data(data)
        except h2.exceptions.StreamClosedError as e:
            # The server reset the stream, then sent its trailers on it.
            self.refused.add(e.stream_id)
            self.flush()
            return []
        for event in events:
            if isinstance(event, h2.events.ConnectionTerminated):
                self.goaway = event
            if isinstance(event, h2.events.DataReceived):
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        self.flush()
        return events

    def call(self, path, message=b"", metadata=(), timeout=10):
        """A whole unary call: (grpc-status, grpc-message) from the trailers,
        or ("closed", None) when the connection ended first."""
        stream = self.start_call(path, message, metadata)
        self.flush()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.read_events(0.5):
                if isinstance(event, (h2.events.TrailersReceived, h2.events.ResponseReceived)) \
                        and event.stream_id == stream:
                    fields = {k.decode() if isinstance(k, bytes) else k:
                              v.decode() if isinstance(v, bytes) else v for k, v in event.headers}
                    if "grpc-status" in fields:
                        return fields["grpc-status"], fields.get("grpc-message")
                if isinstance(event, h2.events.StreamReset) and event.stream_id == stream:
                    return "reset", str(event.error_code)
            if stream in self.refused:
                return "reset", None
            if self.closed:
                return "closed", None
        raise TimeoutError(f"no answer on stream {stream}")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
