"""The zpb RPC wire protocol, version 1 (runtime/src/transport/rpc/PROTOCOL.md), for the
Python peers `rpc_client.py` and `rpc_server.py`, and the Greeter schema's generated code.

Every message is [empty delimiter, header, payload] after the routing envelope; integers
are little-endian; the payload is one message's SerializeToString().

The generated module `greeter_pb2` is imported from PYTHONPATH when it is there (the Rust
tests generate it into a temporary directory); otherwise it is generated on the fly from
`examples/proto/greeter.proto` with the protoc of grpcio-tools. The output conventions
(`say`, `summary`, `bound_endpoint`) are those of `seed_common`, shared by all Python peers.
"""

import struct

# The peers' shared conventions (output lines, summary, bound endpoint).
from seed_common import bound_endpoint, load_schema, say, summary  # noqa: F401

VERSION = 1
REQUEST, REPLY, ITEM, END = 1, 2, 3, 4
HEADER = struct.Struct("<BBHQI")  # version, kind, path length | status, id, timeout | seq

OK, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED = 0, 2, 3, 4
RESOURCE_EXHAUSTED, UNIMPLEMENTED, INTERNAL = 8, 12, 13

SERVICE = "zpb.examples.rpc.Greeter"


class ProtocolError(ValueError):
    """A header or message that does not follow the protocol."""


def request_header(path, request_id, timeout_ms):
    """The header frame of a request for `path` ("package.Service/Method")."""
    path = path.encode()
    return HEADER.pack(VERSION, REQUEST, len(path), request_id, timeout_ms) + path


def parse_request(frame):
    """(request id, timeout in ms, method path) of a request header frame. Raises
    ProtocolError with the request id when it could be read (else 0)."""
    if len(frame) < HEADER.size:
        raise ProtocolError("header of %d bytes" % len(frame), 0)
    version, kind, path_len, request_id, timeout_ms = HEADER.unpack_from(frame)
    if version != VERSION:
        raise ProtocolError("protocol version %d" % version, 0)
    if kind != REQUEST or len(frame) != HEADER.size + path_len:
        raise ProtocolError("not a request header", request_id)
    return request_id, timeout_ms, frame[HEADER.size :].decode("utf-8", "replace")


def reply_header(kind, status, request_id, seq=0, message=""):
    """The header frame of a reply, stream item or end of stream."""
    return HEADER.pack(VERSION, kind, status, request_id, seq) + message.encode()[:65535]


def parse_reply(frame):
    """(kind, status, request id, seq, error message) of a reply header frame."""
    if len(frame) < HEADER.size:
        raise ProtocolError("reply header of %d bytes" % len(frame))
    version, kind, status, request_id, seq = HEADER.unpack_from(frame)
    if version != VERSION or kind not in (REPLY, ITEM, END):
        raise ProtocolError("not a reply header (version %d, kind %d)" % (version, kind))
    return kind, status, request_id, seq, frame[HEADER.size :].decode("utf-8", "replace")


def load_greeter():
    """Returns the `greeter_pb2` module, generating it if needed."""
    return load_schema("greeter")
