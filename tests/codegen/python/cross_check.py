#!/usr/bin/env python3
"""Cross-check of zpb against Google's Python protobuf (upb), run by
tests/codegen/tests/python_cross_check.rs with the project's venv (scripts/setup-python.sh).

Two modes:

``[--editions DIR] corpus --echo PATH [--count N] [--seed S] [--types T,...] [--text-check]
[--formats]``
    Builds N random ``TestAllTypesProto3`` and N random ``TestAllTypesProto2`` messages
    (or N of each type of ``--types``, such as the editions conformance messages that
    ``--editions`` loads)
    (fixed seed) with every field kind populated somewhere: all scalars with extreme
    values (NaN, infinities, -0.0, integer limits), unicode strings up to the astral
    plane, bytes, nested messages and recursion, packed and unpacked repeated fields,
    every map type, every oneof member, open-enum values the schema does not know,
    proto2 groups, defaults, extensions and a MessageSet, and unknown fields injected as
    raw bytes (varint, fixed, length-delimited and group, known field numbers with a wrong
    wire type, unknown values of closed enums). Python serializes them, the ``zpb-echo`` binary parses and re-serializes
    them (length-delimited through a pipe), and Python parses zpb's bytes and checks
    that each message equals the original (``==``, which includes unknown fields and
    extensions, plus byte-equal deterministic serialization, which also covers NaN
    payloads). Fails unless every field and extension of both messages was populated
    by at least one message. Unknown fields round-trip, so a field zpb misreads as
    unknown would pass that check: ``--text-check`` also asks zpb-echo for its text
    format, which names the fields zpb recognized, and compares those with Python's.
    ``--formats`` also sends every message through JSON and text format both ways (zpb
    prints and Python parses, Python prints and zpb parses, with each printing option set),
    without what those formats cannot carry (unknown fields, MessageSet items, and for
    JSON well-known-type values out of ProtoJSON's ranges: see ``json_representable``).

``seeds --out DIR [--count N] [--max-bytes B]``
    Writes small corpus messages as Python prints them in JSON and text format into
    ``DIR/json`` and ``DIR/text``: the seeds of the JSON and text fuzz targets.

``verify FILE``
    Checks messages that zpb built with its accessors. Each line of FILE is
    ``name<TAB>message type<TAB>hex(zpb bytes)<TAB>hex(expected text format)<TAB>
    hex(expected unknown fields)``: Python parses the bytes and compares them with the
    message given by the text format (plus the raw unknown fields).

Both modes print a last line ``ok: ...`` with counts, and exit non-zero on a mismatch.
"""

import argparse
import importlib.util
import math
import random
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from google.protobuf import descriptor as _descriptor
from google.protobuf import duration_pb2, json_format, text_format

FD = _descriptor.FieldDescriptor

PROTO2 = "protobuf_test_messages.proto2.TestAllTypesProto2"
PROTO3 = "protobuf_test_messages.proto3.TestAllTypesProto3"
EDITION2023 = "protobuf_test_messages.editions.TestAllTypesEdition2023"
EDITIONS_PROTO2 = "protobuf_test_messages.editions.proto2.TestAllTypesProto2"
EDITIONS_PROTO3 = "protobuf_test_messages.editions.proto3.TestAllTypesProto3"

# The corpus's message types, by the short name the final `ok:` line counts them under.
SHORT_NAMES = {PROTO3: "proto3", PROTO2: "proto2", EDITION2023: "edition2023",
               EDITIONS_PROTO2: "editions_proto2", EDITIONS_PROTO3: "editions_proto3"}

# Google's editions conformance messages (edition 2023), loaded with `--editions DIR`.
EDITIONS_FILES = ["test_messages_edition2023.proto", "test_messages_proto2_editions.proto",
                  "test_messages_proto3_editions.proto"]

# Integer ranges by field type: (min, max).
RANGES = {
    FD.TYPE_INT32: (-(2**31), 2**31 - 1),
    FD.TYPE_SINT32: (-(2**31), 2**31 - 1),
    FD.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    FD.TYPE_INT64: (-(2**63), 2**63 - 1),
    FD.TYPE_SINT64: (-(2**63), 2**63 - 1),
    FD.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    FD.TYPE_UINT32: (0, 2**32 - 1),
    FD.TYPE_FIXED32: (0, 2**32 - 1),
    FD.TYPE_UINT64: (0, 2**64 - 1),
    FD.TYPE_FIXED64: (0, 2**64 - 1),
}

FLOAT_EXTREMES = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.401298464324817e-45,
                  1.1754943508222875e-38, 3.4028234663852886e38, -3.4028234663852886e38, 1.5]
DOUBLE_EXTREMES = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, 2.2250738585072014e-308,
                   1.7976931348623157e308, -1.7976931348623157e308, 0.1]

# Code point ranges for random strings: ASCII, Latin-1, Greek/Cyrillic, CJK, the astral
# plane (emoji, historic scripts), combining marks. No surrogates.
CODE_POINTS = [(0x20, 0x7E), (0x00, 0x1F), (0xA0, 0xFF), (0x370, 0x4FF), (0x4E00, 0x9FFF),
               (0x1F300, 0x1FAFF), (0x10000, 0x10FFFF), (0x300, 0x36F), (0xE000, 0xFFFD)]

# Unknown-field numbers: none of them is a field of the messages they are injected into
# (checked per message), and none is a declared extension.
UNKNOWN_NUMBERS = [3, 4, 16, 17, 20, 26, 30, 150, 199, 501, 999, 1000, 5000, 99999, 999999,
                   2**28, 536870911]


# --- wire helpers -------------------------------------------------------------------------

def varint(n):
    """The base-128 varint of a non-negative integer (negative int64s as two's complement)."""
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def tag(number, wire_type):
    return varint((number << 3) | wire_type)


def read_delimited(data):
    """Splits length-delimited records."""
    out, i = [], 0
    while i < len(data):
        n, shift = 0, 0
        while True:
            b = data[i]
            i += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        out.append(data[i:i + n])
        i += n
    return out


# --- loading the schemas ------------------------------------------------------------------

def load_schemas(protos, out_dir, editions=None):
    """Compiles test_messages_proto2/3.proto (and, with `editions`, the editions
    conformance messages in that directory) with grpc_tools' protoc into out_dir and
    imports them (by path: their package name `google.protobuf` is the installed one's)."""
    files = ["google/protobuf/test_messages_proto2.proto",
             "google/protobuf/test_messages_proto3.proto"]
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{protos}",
                    f"--python_out={out_dir}", *files], check=True)
    modules = [Path(out_dir) / "google" / "protobuf" / f"{name}.py"
               for name in ["test_messages_proto2_pb2", "test_messages_proto3_pb2"]]
    if editions:
        subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{editions}",
                        f"-I{protos}", f"--python_out={out_dir}", *EDITIONS_FILES], check=True)
        modules += [Path(out_dir) / f.replace(".proto", "_pb2.py") for f in EDITIONS_FILES]
    classes = {}
    for path in modules:
        name = path.stem
        spec = importlib.util.spec_from_file_location(f"zpb_cross_check_{name}", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        for cls in [getattr(module, n) for n in dir(module)]:
            if isinstance(cls, type) and hasattr(cls, "DESCRIPTOR"):
                classes[cls.DESCRIPTOR.full_name] = cls
    return classes


# --- random messages ----------------------------------------------------------------------

def is_map(field):
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def is_message(field):
    return field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP)


class Builder:
    """Random messages from a seeded generator, recording which fields it populated."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.covered = set()

    # Scalars.

    def integer(self, field_type):
        lo, hi = RANGES[field_type]
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice([lo, hi, 0, 1, max(lo, -1), 127, 128, 16383, 16384,
                                    2**31 - 1 if hi > 2**31 else hi])
        if r < 0.6:
            return self.rng.randint(max(lo, -1000), min(hi, 1000))
        return self.rng.randint(lo, hi)

    def floating(self, field_type):
        r = self.rng.random()
        if r < 0.4:
            extremes = FLOAT_EXTREMES if field_type == FD.TYPE_FLOAT else DOUBLE_EXTREMES
            return self.rng.choice(extremes)
        value = self.rng.uniform(-1e6, 1e6) if r < 0.7 else \
            self.rng.choice([-1, 1]) * 10 ** self.rng.uniform(-300, 300)
        if field_type == FD.TYPE_FLOAT:
            # Round to f32 (what the field stores), staying finite.
            value = max(min(value, 3.4e38), -3.4e38)
            value = struct.unpack("<f", struct.pack("<f", value))[0]
        return value

    def string(self):
        length = self.rng.choice([0, 1, 3, 8, 20, 200])
        chars = []
        for _ in range(length):
            lo, hi = self.rng.choice(CODE_POINTS)
            c = self.rng.randint(lo, hi)
            chars.append(chr(c if not 0xD800 <= c <= 0xDFFF else 0xFFFD))
        return "".join(chars)

    def bytes_value(self):
        length = self.rng.choice([0, 1, 5, 16, 300])
        return bytes(self.rng.getrandbits(8) for _ in range(length))

    def enum_value(self, enum_type, closed):
        if not closed and self.rng.random() < 0.2:
            # Open enums keep numbers the schema does not know.
            return self.rng.choice([3, 42, -2, 2**31 - 1, -(2**31)])
        return self.rng.choice(enum_type.values).number

    def scalar(self, field):
        t = field.type
        if t in RANGES:
            return self.integer(t)
        if t in (FD.TYPE_FLOAT, FD.TYPE_DOUBLE):
            return self.floating(t)
        if t == FD.TYPE_BOOL:
            return self.rng.random() < 0.5
        if t == FD.TYPE_STRING:
            return self.string()
        if t == FD.TYPE_BYTES:
            return self.bytes_value()
        if t == FD.TYPE_ENUM:
            return self.enum_value(field.enum_type, field.enum_type.is_closed)
        raise ValueError(f"not a scalar: {field.full_name}")

    def map_key(self, field):
        if field.type == FD.TYPE_STRING:
            return self.string()
        if field.type == FD.TYPE_BOOL:
            return self.rng.random() < 0.5
        return self.integer(field.type)

    # Messages.

    def fill(self, msg, depth, force=None, chance=0.25):
        """Populates some fields of msg (each with probability `chance`, nested messages up
        to `depth` more levels), and `force`, the name of a field that must be set."""
        desc = msg.DESCRIPTOR
        members = {f.name for o in desc.oneofs for f in o.fields}
        for field in desc.fields:
            if field.name in members:
                continue
            if field.name == force or self.rng.random() < chance:
                self.populate(msg, field, depth)
        for oneof in desc.oneofs:
            forced = [f for f in oneof.fields if f.name == force]
            if forced or self.rng.random() < 0.5:
                field = forced[0] if forced else self.rng.choice(oneof.fields)
                self.populate(msg, field, depth)
        self.extensions(msg, depth, chance)
        if desc.GetOptions().message_set_wire_format:
            return
        if self.rng.random() < 0.15:
            self.inject_unknown(msg)
        if self.rng.random() < 0.15:
            self.inject_unknown_enum(msg)

    def populate(self, msg, field, depth):
        self.covered.add(field.full_name)
        if is_map(field):
            self.populate_map(getattr(msg, field.name), field, depth)
        elif field.is_repeated:
            container = getattr(msg, field.name)
            if is_message(field):
                for _ in range(self.rng.choice([0, 1, 2, 3]) if depth > 0 else 1):
                    self.submessage(container.add(), depth)
            else:
                count = self.rng.choice([0, 1, 2, 3, 5, 40])
                container.extend(self.scalar(field) for _ in range(count))
        elif is_message(field):
            self.submessage(getattr(msg, field.name), depth)
        elif field.has_presence and field.default_value is not None and \
                self.rng.random() < 0.1:
            # Explicitly set to the default: still present (proto2, oneof members).
            setattr(msg, field.name, field.default_value)
        else:
            setattr(msg, field.name, self.scalar(field))

    def submessage(self, sub, depth):
        sub.SetInParent()
        if depth > 0:
            self.fill(sub, depth - 1, chance=0.2)

    def populate_map(self, container, field, depth):
        # Map entries themselves get no unknown fields: zpb drops those on purpose (README).
        key_field = field.message_type.fields_by_name["key"]
        value_field = field.message_type.fields_by_name["value"]
        for _ in range(self.rng.choice([0, 1, 2, 4])):
            key = self.map_key(key_field)
            if is_message(value_field):
                self.submessage(container[key], depth - 1 if depth > 0 else 0)
            else:
                container[key] = self.scalar(value_field)

    def extensions(self, msg, depth, chance):
        desc = msg.DESCRIPTOR
        if not desc.extension_ranges:
            return
        for ext in desc.file.pool.FindAllExtensions(desc):
            if self.rng.random() >= chance:
                continue
            self.covered.add(ext.full_name)
            if is_message(ext):
                self.submessage(msg.Extensions[ext], depth - 1 if depth > 0 else 0)
            else:
                msg.Extensions[ext] = self.scalar(ext)

    # Unknown fields, merged in as raw bytes.

    def unknown_number(self, desc):
        taken = {f.number for f in desc.fields}
        taken |= {e.number for e in desc.file.pool.FindAllExtensions(desc)}
        free = [n for n in UNKNOWN_NUMBERS if n not in taken]
        return self.rng.choice(free)

    def mismatched_field(self, desc):
        """A known field number with a wire type its type never has (so not a packed or
        unpacked form either): parsers keep it as an unknown field."""
        field = self.rng.choice(desc.fields)
        if field.type in (FD.TYPE_FIXED64, FD.TYPE_SFIXED64, FD.TYPE_DOUBLE, FD.TYPE_FIXED32,
                          FD.TYPE_SFIXED32, FD.TYPE_FLOAT, FD.TYPE_STRING, FD.TYPE_BYTES,
                          FD.TYPE_MESSAGE, FD.TYPE_GROUP):
            return tag(field.number, 0) + varint(self.rng.getrandbits(64))
        return tag(field.number, 5) + bytes(self.rng.getrandbits(8) for _ in range(4))

    def unknown_field(self, desc, depth):
        if depth == 0 and desc.fields and self.rng.random() < 0.2:
            return self.mismatched_field(desc)
        number = self.unknown_number(desc)
        wire_type = self.rng.choice([0, 1, 2, 5] + ([3] if depth < 2 else []))
        if wire_type == 0:
            value = self.rng.choice([0, 1, 300, 2**63, 2**64 - 1, self.rng.getrandbits(64)])
            return tag(number, 0) + varint(value)
        if wire_type == 1:
            return tag(number, 1) + bytes(self.rng.getrandbits(8) for _ in range(8))
        if wire_type == 5:
            return tag(number, 5) + bytes(self.rng.getrandbits(8) for _ in range(4))
        if wire_type == 2:
            body = self.bytes_value()
            return tag(number, 2) + varint(len(body)) + body
        inner = b"".join(self.unknown_field(desc, depth + 1)
                         for _ in range(self.rng.randint(0, 2)))
        return tag(number, 3) + inner + tag(number, 4)

    def inject_unknown(self, msg):
        data = b"".join(self.unknown_field(msg.DESCRIPTOR, 0)
                        for _ in range(self.rng.randint(1, 3)))
        msg.MergeFromString(data)

    def inject_unknown_enum(self, msg):
        """Numbers a closed enum does not know: they go to unknown fields (for a map, the
        whole entry does)."""
        def closed_enum(field):
            if is_map(field):
                field = field.message_type.fields_by_name["value"]
            return field.type == FD.TYPE_ENUM and field.enum_type.is_closed

        enums = [f for f in msg.DESCRIPTOR.fields if closed_enum(f)]
        if not enums:
            return
        field = self.rng.choice(enums)
        value = self.rng.choice([3, 77, -5, 2**31 - 1])
        if is_map(field):
            entry = tag(1, 2) + varint(1) + b"k" + tag(2, 0) + varint(value)
            data = tag(field.number, 2) + varint(len(entry)) + entry
        elif field.is_repeated and self.rng.random() < 0.5:
            packed = b"".join(varint(v) for v in [1, value, 2])
            data = tag(field.number, 2) + varint(len(packed)) + packed
        else:
            data = tag(field.number, 0) + varint(value)
        msg.MergeFromString(data)

    def message(self, cls, index):
        """Message number `index` of the corpus: random, with one field forced so that every
        field is populated somewhere, and now and then a deep recursion chain."""
        msg = cls()
        fields = cls.DESCRIPTOR.fields
        self.fill(msg, depth=3, force=fields[index % len(fields)].name)
        if index % 50 == 7:
            node = msg
            for _ in range(self.rng.randint(20, 60)):
                node = node.recursive_message
                node.optional_int32 = self.rng.randint(-5, 5)
            self.covered.add(cls.DESCRIPTOR.fields_by_name["recursive_message"].full_name)
        return msg


# --- modes --------------------------------------------------------------------------------

def serialized(msg):
    return msg.SerializeToString(deterministic=True)


def describe(msg):
    return text_format.MessageToString(msg, as_one_line=True, print_unknown_fields=True)


def echo(binary, type_name, messages, *mode):
    """Sends messages through zpb-echo (with its `mode` arguments, e.g. "text"); returns
    the records it wrote back."""
    data = b"".join(varint(len(b)) + b for b in (m.SerializeToString() for m in messages))
    result = subprocess.run([binary, type_name, *mode], input=data, capture_output=True)
    if result.returncode != 0:
        sys.exit(f"zpb-echo {type_name} failed: {result.stderr.decode(errors='replace')}")
    return read_delimited(result.stdout)


def known_fields_only(msg):
    """A copy of msg without unknown fields and extensions, at every level: what zpb's
    generated code holds in fields (zpb keeps extensions among the unknown fields)."""
    copy = type(msg)()
    copy.CopyFrom(msg)
    copy.DiscardUnknownFields()
    strip_extensions(copy)
    return copy


def strip_extensions(msg):
    for field, value in msg.ListFields():
        if field.is_extension:
            msg.ClearExtension(field)
        elif is_map(field):
            if is_message(field.message_type.fields_by_name["value"]):
                for v in value.values():
                    strip_extensions(v)
        elif is_message(field):
            for v in (value if field.is_repeated else [value]):
                strip_extensions(v)


def text_check(args, type_name, cls, messages):
    """Failures where zpb, reading Python's bytes, put a field Python knows among its
    unknown fields (or the reverse): zpb's text format names the fields it recognized and
    numbers the others, which are skipped here; the rest must equal Python's message
    without unknown fields and extensions."""
    failures = []
    texts = echo(args.echo, type_name, messages, "text")
    if len(texts) != len(messages):
        return [f"{type_name}: sent {len(messages)} messages, got {len(texts)} texts"]
    for i, (orig, text) in enumerate(zip(messages, texts)):
        text = bytes(text).decode("utf-8")
        try:
            parsed = text_format.Parse(text, cls(), allow_unknown_field=True)
        except text_format.ParseError as e:
            failures.append(f"{type_name} #{i}: Python cannot parse zpb's text: {e}\n{text[:2000]}")
            continue
        expected = known_fields_only(orig)
        if describe(parsed) != describe(expected):
            failures.append(f"{type_name} #{i}: zpb read other fields than Python\n"
                            f"  zpb:    {describe(parsed)[:3000]}\n"
                            f"  python: {describe(expected)[:3000]}")
    return failures


# --- JSON and text format, both ways -------------------------------------------------------

# zpb's JSON printing options (zpb-echo `to-json` arguments), each checked against Python's
# `json_format.Parse`.
ZPB_JSON_OPTIONS = [[], ["proto-names"], ["enums-as-ints"], ["emit-defaults"],
                    ["proto-names", "enums-as-ints", "emit-defaults", "indent"]]
# Python's `MessageToJson` options, each parsed by zpb (`from-json`).
PYTHON_JSON_OPTIONS = [{}, {"preserving_proto_field_name": True},
                       {"use_integers_for_enums": True},
                       {"always_print_fields_with_no_presence": True, "indent": None},
                       {"ensure_ascii": False, "sort_keys": True}]
# zpb's text printing options (zpb-echo `to-text` arguments) and Python's `MessageToString`
# options, each parsed by the other side.
ZPB_TEXT_OPTIONS = [[], ["single-line"]]
PYTHON_TEXT_OPTIONS = [{}, {"as_one_line": True}, {"as_utf8": True},
                       {"use_short_repeated_primitives": True, "as_one_line": True}]

# Well-known-type values a random message may hold that JSON cannot (json_format and
# ProtoJSON reject them when printing); `json_representable` replaces them. The ranges are
# ProtoJSON's: Timestamp 0001-01-01 to 9999-12-31, Duration +-10000 years.
TIMESTAMP_SECONDS = (-62135596800, 253402300799)
DURATION_SECONDS = (-315576000000, 315576000000)


def without_message_set_items(msg):
    """Clears the MessageSet extensions: zpb generates no extension constants for
    MessageSet items (they are kept as unknown fields), so neither its JSON nor its text
    format can name them as `[pkg.Ext]`."""
    for field, value in msg.ListFields():
        if field.message_type is not None and field.message_type.GetOptions().message_set_wire_format:
            for ext in list(value.Extensions):
                value.ClearExtension(ext)
        elif is_map(field):
            if is_message(field.message_type.fields_by_name["value"]):
                for v in value.values():
                    without_message_set_items(v)
        elif is_message(field):
            for v in (value if field.is_repeated else [value]):
                without_message_set_items(v)


def text_representable(msg):
    """What a message's text format carries between zpb and Python: its known fields and
    extensions (unknown fields are printed by number, which neither side parses back)."""
    copy = type(msg)()
    copy.CopyFrom(msg)
    copy.DiscardUnknownFields()
    without_message_set_items(copy)
    return copy


def json_representable(msg):
    """`text_representable(msg)` with the well-known-type values JSON cannot hold replaced
    by ones it can: an `Any` whose type is unknown or whose value does not parse, a
    `Timestamp` or `Duration` out of range or with mixed signs, a `Value` without a kind or
    with a non-finite number, `FieldMask` paths without a lowerCamel form, a `NullValue`
    other than `NULL_VALUE`."""
    copy = text_representable(msg)
    fix_well_known(copy)
    return copy


NULL_VALUE = "google.protobuf.NullValue"


def clamp(n, lo, hi):
    return max(lo, min(hi, n))


def fix_well_known(msg):
    name = msg.DESCRIPTOR.full_name
    if name == "google.protobuf.Any":
        try:
            json_format.MessageToJson(msg)
        except Exception:  # noqa: BLE001 (whatever json_format refuses is replaced)
            msg.Pack(duration_pb2.Duration(seconds=len(msg.value)))
        return
    if name == "google.protobuf.Timestamp":
        msg.seconds = clamp(msg.seconds, *TIMESTAMP_SECONDS)
        msg.nanos = clamp(msg.nanos, 0, 999_999_999)
        return
    if name == "google.protobuf.Duration":
        msg.seconds = clamp(msg.seconds, *DURATION_SECONDS)
        msg.nanos = clamp(abs(msg.nanos), 0, 999_999_999) * (-1 if msg.seconds < 0 else 1)
        return
    if name == "google.protobuf.FieldMask":
        paths = ["".join(c for c in p.lower() if c.isascii() and (c.isalnum() or c == "."))
                 for p in msg.paths]
        del msg.paths[:]
        msg.paths.extend(p.strip(".").replace("..", ".") or "a" for p in paths)
        return
    if name == "google.protobuf.Value":
        kind = msg.WhichOneof("kind")
        if kind is None or (kind == "number_value" and not math.isfinite(msg.number_value)):
            msg.null_value = 0
    for field, value in msg.ListFields():
        if field.enum_type is not None and field.enum_type.full_name == NULL_VALUE:
            # JSON's `null` is NullValue's only value: other numbers have no JSON form.
            if field.is_repeated:
                value[:] = [0] * len(value)
            else:
                setattr(msg, field.name, 0)
        elif is_map(field):
            if is_message(field.message_type.fields_by_name["value"]):
                for v in value.values():
                    fix_well_known(v)
        elif is_message(field):
            for v in (value if field.is_repeated else [value]):
                fix_well_known(v)


def unsigned_zeros(msg):
    """A copy of msg with every -0.0 float or double made 0.0. Python's `json` module reads
    the JSON number `-0` (what C++, upb and zpb print for -0.0) as the integer 0, so
    `json_format.Parse` loses the sign: a Python bug, tolerated only when Python parses
    zpb's JSON."""
    copy = type(msg)()
    copy.CopyFrom(msg)
    clear_zero_signs(copy)
    return copy


def clear_zero_signs(msg):
    def fix(v):
        return 0.0 if v == 0 else v
    for field, value in msg.ListFields():
        if is_map(field):
            value_field = field.message_type.fields_by_name["value"]
            if is_message(value_field):
                for v in value.values():
                    clear_zero_signs(v)
            elif value_field.type in (FD.TYPE_FLOAT, FD.TYPE_DOUBLE):
                for k in list(value):
                    value[k] = fix(value[k])
        elif is_message(field):
            for v in (value if field.is_repeated else [value]):
                clear_zero_signs(v)
        elif field.type in (FD.TYPE_FLOAT, FD.TYPE_DOUBLE):
            if field.is_repeated:
                value[:] = [fix(v) for v in value]
            else:
                setattr(msg, field.name, fix(value))


def python_json_fix(text):
    """Python's JSON with its one misprint corrected: `json_format` prints a float field
    holding +-f32::MAX as `3.4028235e+38` (its shortest digits), which lies above f32::MAX
    as a double, so C++, upb, Python's own `json_format.Parse` and zpb reject it as out of
    range. The exact digits, `3.4028234663852886e+38`, are what C++ and zpb print."""
    return text.replace("3.4028235e+38", "3.4028234663852886e+38")


def echo_records(binary, type_name, records, *mode):
    """Sends raw records (bytes) through zpb-echo with `mode`; returns what it wrote back, or
    raises with zpb-echo's error."""
    data = b"".join(varint(len(b)) + b for b in records)
    result = subprocess.run([binary, type_name, *mode], input=data, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"zpb-echo {' '.join(mode)}: {result.stderr.decode(errors='replace')}")
    return read_delimited(result.stdout)


def formats_check(args, type_name, cls, messages):
    """The messages through JSON and text format both ways: zpb prints (with each option
    set) and Python parses, Python prints (with each option set) and zpb parses. Each side's
    result must serialize (deterministically) to the same bytes as the message printed.
    Returns (failures, counts per direction and format)."""
    failures, counts = [], {}
    forms = {
        "json": (json_representable, ZPB_JSON_OPTIONS, "to-json",
                 lambda text, m: clear_zero_signs(json_format.Parse(text, m)),
                 PYTHON_JSON_OPTIONS, json_format.MessageToJson, "from-json"),
        "text": (text_representable, ZPB_TEXT_OPTIONS, "to-text",
                 lambda text, m: text_format.Parse(text, m),
                 PYTHON_TEXT_OPTIONS, text_format.MessageToString, "from-text"),
    }
    for form, (representable, zpb_options, to_mode, py_parse, py_options, py_print,
               from_mode) in forms.items():
        expected = [representable(m) for m in messages]
        wanted = [serialized(m) for m in expected]
        ok = [True] * len(expected)
        # zpb prints, Python parses (for JSON, both without signed zeros).
        wanted_by_python = [serialized(unsigned_zeros(m)) if form == "json" else w
                            for m, w in zip(expected, wanted)]
        for options in zpb_options:
            try:
                texts = echo_records(args.echo, type_name, [serialized(m) for m in expected],
                                     to_mode, *options)
            except RuntimeError as e:
                failures.append(f"{type_name} {form} {options}: {e}")
                ok = [False] * len(expected)
                continue
            for i, text in enumerate(texts):
                text = bytes(text).decode("utf-8")
                parsed = cls()
                try:
                    py_parse(text, parsed)
                except Exception as e:  # noqa: BLE001 (any parse error is a failure)
                    failures.append(f"{type_name} #{i}: Python cannot parse zpb's {form} "
                                    f"({options}): {e}\n{text[:3000]}")
                    ok[i] = False
                    continue
                if serialized(parsed) != wanted_by_python[i]:
                    failures.append(f"{type_name} #{i}: zpb's {form} ({options}) reads "
                                    f"differently in Python\n  {form}: {text[:3000]}\n"
                                    f"  want: {describe(expected[i])[:3000]}\n"
                                    f"  got:  {describe(parsed)[:3000]}")
                    ok[i] = False
        counts[f"{form}_zpb_to_python"] = sum(ok)
        # Python prints, zpb parses.
        ok = [True] * len(expected)
        for options in py_options:
            texts = [python_json_fix(py_print(m, **options)) if form == "json"
                     else py_print(m, **options) for m in expected]
            texts = [t.encode("utf-8") for t in texts]
            try:
                back = echo_records(args.echo, type_name, texts, from_mode)
            except RuntimeError as e:
                failures.append(f"{type_name} {form} {options}: {e}")
                ok = [False] * len(expected)
                continue
            for i, data in enumerate(back):
                # Through Python: zpb's map order is not Python's deterministic order.
                parsed = cls()
                parsed.ParseFromString(bytes(data))
                if serialized(parsed) != wanted[i]:
                    failures.append(f"{type_name} #{i}: Python's {form} ({options}) reads "
                                    f"differently in zpb\n  {form}: {texts[i][:3000]}\n"
                                    f"  want: {describe(expected[i])[:3000]}\n"
                                    f"  got:  {describe(parsed)[:3000]}")
                    ok[i] = False
        counts[f"{form}_python_to_zpb"] = sum(ok)
    return failures, counts


def required_coverage(cls):
    desc = cls.DESCRIPTOR
    names = {f.full_name for f in desc.fields}
    names |= {e.full_name for e in desc.file.pool.FindAllExtensions(desc)}
    return names


def run_corpus(args, classes):
    builder = Builder(args.seed)
    failures = []
    counts = {}
    totals = {}
    for type_name in args.types.split(","):
        cls = classes[type_name]
        messages = [builder.message(cls, i) for i in range(args.count)]
        echoed = echo(args.echo, type_name, messages)
        if len(echoed) != len(messages):
            failures.append(f"{type_name}: sent {len(messages)} messages, got {len(echoed)}")
        for i, (orig, data) in enumerate(zip(messages, echoed)):
            back = cls()
            try:
                back.ParseFromString(data)
            except Exception as e:  # noqa: BLE001 (any parse error is a failure)
                failures.append(f"{type_name} #{i}: Python cannot parse zpb's bytes: {e}")
                continue
            sent = orig.SerializeToString()
            if back != orig or serialized(back) != serialized(orig) or len(data) != len(sent):
                failures.append(
                    f"{type_name} #{i}: differs after zpb\n  input ({len(sent)} B): "
                    f"{sent.hex()}\n  zpb ({len(data)} B): {bytes(data).hex()}\n"
                    f"  sent: {describe(orig)[:3000]}\n  back: {describe(back)[:3000]}")
        if args.text_check:
            failures += text_check(args, type_name, cls, messages)
        if args.formats:
            found, form_counts = formats_check(args, type_name, cls, messages)
            failures += found
            for key, n in form_counts.items():
                totals[key] = totals.get(key, 0) + n
        missing = required_coverage(cls) - builder.covered
        if missing:
            failures.append(f"{type_name}: fields never populated: {sorted(missing)}")
        counts[type_name] = len(messages)
        print(f"{type_name}: {len(messages)} messages, {sum(len(m.SerializeToString()) for m in messages)} bytes")
    report(failures)
    print("ok: " + " ".join([f"{SHORT_NAMES[t]}={n}" for t, n in counts.items()]
                            + [f"{k}={n}" for k, n in totals.items()]))


def run_verify(args, classes):
    failures = []
    count = 0
    for line in Path(args.file).read_text().splitlines():
        name, type_name, data, text, unknown = line.split("\t")
        cls = classes[type_name]
        parsed = cls()
        try:
            parsed.ParseFromString(bytes.fromhex(data))
        except Exception as e:  # noqa: BLE001 (any parse error is a failure)
            failures.append(f"{name}: Python cannot parse zpb's bytes: {e}")
            continue
        expected = text_format.Parse(bytes.fromhex(text).decode("utf-8"), cls())
        expected.MergeFromString(bytes.fromhex(unknown))
        if parsed != expected:
            failures.append(f"{name}: zpb's message differs from the expectation\n"
                            f"  zpb:      {describe(parsed)}\n  expected: {describe(expected)}")
        count += 1
    report(failures)
    print(f"ok: verified={count}")


def run_seeds(args, classes):
    """Writes the first messages of the corpus that print small as JSON and as text format
    (Python's forms, with varied options) into OUT/json and OUT/text: seeds for the JSON and
    text fuzz targets (fuzz/, tests/differential/corpus)."""
    builder = Builder(args.seed)
    out = Path(args.out)
    written = {"json": 0, "text": 0}
    for type_name in [PROTO3, PROTO2]:
        cls = classes[type_name]
        for i in range(args.count):
            msg = builder.message(cls, i)
            name = f"{SHORT_NAMES[type_name]}_{i:03}"
            forms = {
                "json": json_format.MessageToJson(json_representable(msg),
                                                  **PYTHON_JSON_OPTIONS[i % len(PYTHON_JSON_OPTIONS)]),
                "text": text_format.MessageToString(text_representable(msg),
                                                    **PYTHON_TEXT_OPTIONS[i % len(PYTHON_TEXT_OPTIONS)]),
            }
            for form, text in forms.items():
                data = text.encode("utf-8")
                if len(data) <= args.max_bytes:
                    (out / form).mkdir(parents=True, exist_ok=True)
                    (out / form / f"seed_{name}").write_bytes(data)
                    written[form] += 1
    print("ok: " + " ".join(f"{k}={n}" for k, n in written.items()))


def report(failures):
    if failures:
        for f in failures[:10]:
            print(f"FAIL {f}", file=sys.stderr)
        sys.exit(f"{len(failures)} failure(s)")


def main():
    here = Path(__file__).resolve().parent
    default_protos = here.parents[2] / ".." / "shared" / "testdata" / "protos"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--protos", default=str(default_protos), help="proto include dir")
    parser.add_argument("--editions", help="directory of the editions conformance protos")
    sub = parser.add_subparsers(dest="mode", required=True)
    corpus = sub.add_parser("corpus", help="random messages through zpb-echo")
    corpus.add_argument("--echo", required=True, help="path of the zpb-echo binary")
    corpus.add_argument("--count", type=int, default=500)
    corpus.add_argument("--text-check", action="store_true",
                        help="also check the fields zpb recognized, through its text format")
    corpus.add_argument("--formats", action="store_true",
                        help="also send every message through JSON and text format both ways")
    corpus.add_argument("--types", default=f"{PROTO3},{PROTO2}",
                        help="comma-separated message types (default: proto3 and proto2)")
    corpus.add_argument("--seed", type=int, default=20240607)
    seeds = sub.add_parser("seeds", help="JSON and text seeds for the fuzz targets")
    seeds.add_argument("--out", required=True, help="directory to write json/ and text/ in")
    seeds.add_argument("--count", type=int, default=300, help="messages per type to try")
    seeds.add_argument("--max-bytes", type=int, default=2500, help="largest seed kept")
    seeds.add_argument("--seed", type=int, default=20240607)
    verify = sub.add_parser("verify", help="check messages zpb built with accessors")
    verify.add_argument("file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out_dir:
        classes = load_schemas(args.protos, out_dir, args.editions)
        if args.mode == "corpus":
            run_corpus(args, classes)
        elif args.mode == "seeds":
            run_seeds(args, classes)
        else:
            run_verify(args, classes)


if __name__ == "__main__":
    main()
