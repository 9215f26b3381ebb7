"""Shared by the Python peers: the seed schema's generated code, the two framings, and the
command-line and summary conventions of the Rust examples.

The generated module `seed_pb2` is imported from PYTHONPATH when it is there (the Rust tests
generate it into a temporary directory); otherwise it is generated on the fly from
`examples/proto/seed.proto` with the protoc of grpcio-tools, into a temporary directory.
"""

import argparse
import importlib
import os
import sys
import tempfile

import zmq

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_DIR = os.path.join(HERE, "..", "proto")


def load_schema(name):
    """Returns the generated module `<name>_pb2` of `examples/proto/<name>.proto`: imported
    from PYTHONPATH when it is there, else generated on the fly (grpcio-tools' protoc)."""
    module = name + "_pb2"
    try:
        return importlib.import_module(module)
    except ImportError:
        pass
    from grpc_tools import protoc

    out = tempfile.mkdtemp(prefix="zpb-%s-pb2-" % name)
    proto = os.path.join(PROTO_DIR, name + ".proto")
    if protoc.main(["protoc", "-I" + PROTO_DIR, "--python_out=" + out, proto]) != 0:
        sys.exit("protoc failed on %s.proto" % name)
    sys.path.insert(0, out)
    return importlib.import_module(module)


def load_seed():
    """Returns the `seed_pb2` module, generating it if needed."""
    return load_schema("seed")


seed = load_seed()


class FrameError(ValueError):
    """A frame that does not hold what its framing promises."""


def encode_varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf, pos):
    """Reads a varint at `pos`; returns (value, next position)."""
    value = 0
    for i in range(10):
        if pos + i >= len(buf):
            raise FrameError("length prefix cut short at byte %d" % pos)
        byte = buf[pos + i]
        value |= (byte & 0x7F) << (7 * i)
        if byte < 0x80:
            return value, pos + i + 1
    raise FrameError("length prefix longer than 10 bytes at byte %d" % pos)


def pack(framing, messages):
    """One frame holding `messages`: raw (exactly one message) or delimited (a varint
    length prefix before each)."""
    if framing == "raw":
        (message,) = messages
        return message.SerializeToString()
    parts = []
    for message in messages:
        body = message.SerializeToString()
        parts.append(encode_varint(len(body)))
        parts.append(body)
    return b"".join(parts)


def unpack(framing, frame, cls):
    """The messages of class `cls` in `frame`; raises FrameError or a protobuf DecodeError."""
    if framing == "raw":
        message = cls()
        message.ParseFromString(frame)
        return [message]
    if not frame:
        raise FrameError("empty delimited frame")
    messages, pos = [], 0
    while pos < len(frame):
        length, pos = decode_varint(frame, pos)
        if pos + length > len(frame):
            raise FrameError("record of %d bytes runs past the frame" % length)
        message = cls()
        message.ParseFromString(frame[pos : pos + length])
        messages.append(message)
        pos += length
    return messages


def payload_byte(task_id, i):
    """Byte `i` of task `task_id`'s payload, as in the Rust pipeline."""
    return (task_id + i) % 251


def task_payload(task_id, size):
    return bytes(payload_byte(task_id, i) for i in range(size))


def generated_text(topic, seq):
    return "%s event %d" % (topic, seq)


def parser(description, roles):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("role", choices=roles)
    p.add_argument("--framing", choices=["raw", "delimited"], default="delimited")
    return p


def say(*words):
    print(*words, flush=True)


def summary(**pairs):
    """The last line, as the Rust examples print it: `summary: key=value ...`."""
    say("summary: " + " ".join("%s=%s" % (k, v) for k, v in pairs.items()))


def counts(mapping):
    return ",".join("%s:%d" % (k, mapping[k]) for k in sorted(mapping)) or "-"


def bound_endpoint(socket):
    """The endpoint a socket bound last (with the port picked for `:*`)."""
    return socket.getsockopt_string(zmq.LAST_ENDPOINT).rstrip("\0")
