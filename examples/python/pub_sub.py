"""PUB/SUB, the seed's publisher and subscriber in Python 3 with protobuf events.

    python pub_sub.py publisher [--bind EP] [--topic T1,T2] [--count N] [--subscribers K]
        [--wait-ms MS] [--settle-ms MS]
    python pub_sub.py subscriber [--connect EP] [--topic PREFIX1,PREFIX2] [--count N]

Messages are two frames, [topic, payload]; subscribers filter by topic prefix in libzmq.
Each topic has its own sequence number, so a subscriber counts what it missed: everything
before it joined (there is no queue for absent subscribers) and any gap after. So a counted
run first waits for --subscribers subscriptions (default 1 with --count), then until none
new arrives for --settle-ms, and reports the events sent while nobody was subscribed.
Options and defaults as `cargo run --example pub_sub -- --help`, and wire-compatible.
"""

import sys
import time

import zmq
from google.protobuf.message import DecodeError

from seed_common import (
    FrameError,
    bound_endpoint,
    counts,
    generated_text,
    pack,
    parser,
    say,
    seed,
    summary,
    unpack,
)

ENDPOINT = "tcp://127.0.0.1:5000"


class Subscriptions:
    """What an XPUB socket (verbose) hears: every SUBSCRIBE, and an UNSUBSCRIBE once the
    last subscriber of a prefix has gone, so the prefixes with a subscriber are known."""

    def __init__(self, socket):
        self.socket = socket
        self.seen = 0
        self.active = set()
        self.unheard = 0
        self.sends = 0

    def read(self):
        """Reads the subscription messages that arrived; returns the SUBSCRIBEs seen."""
        while True:
            try:
                message = self.socket.recv(zmq.NOBLOCK)
            except zmq.Again:
                return self.seen
            if message[:1] == b"\x01":
                self.seen += 1
                self.active.add(message[1:])
            elif message[:1] == b"\x00":
                self.active.discard(message[1:])

    def wait(self, n, timeout, settle):
        """At least `n` SUBSCRIBEs within `timeout` seconds (or exit 1), then none new for
        `settle` seconds (within what is left of `timeout`)."""
        deadline = time.monotonic() + timeout
        while self.read() < n:
            left = deadline - time.monotonic()
            if left <= 0 or not self.socket.poll(max(1, int(left * 1000))):
                sys.exit(
                    "only %d of %d subscription(s) arrived within %d ms (--wait-ms): start "
                    "the subscribers first, or pass --subscribers 0 to publish anyway"
                    % (self.seen, n, timeout * 1000)
                )
        quiet_until = time.monotonic() + settle
        while True:
            left = min(quiet_until, deadline) - time.monotonic()
            if left <= 0:
                return self.seen
            seen = self.seen
            self.socket.poll(max(1, int(left * 1000)))
            if self.read() != seen:
                quiet_until = time.monotonic() + settle

    def count_send(self, events):
        """Before a frame of `events` goes out: counts them as unheard if nobody listens
        (subscription messages are read before every frame while nobody listens, and every
        256 frames otherwise, as the Rust publisher does)."""
        self.sends += 1
        if not self.active or self.sends % 256 == 0:
            self.read()
        if not self.active:
            self.unheard += events


def publisher(args):
    context = zmq.Context()
    # XPUB behaves as PUB for subscribers and lets the publisher see their subscriptions,
    # so it can wait for them (--subscribers) instead of publishing to nobody.
    socket = context.socket(zmq.XPUB)
    socket.setsockopt(zmq.XPUB_VERBOSE, 1)
    socket.bind(args.bind)
    say("bound %s (%s framing)" % (bound_endpoint(socket), args.framing))
    subscriptions = Subscriptions(socket)
    wanted = args.subscribers if args.subscribers is not None else int(args.count is not None)
    if wanted > 0:
        say("waiting up to %d ms for %d subscription(s)" % (args.wait_ms, wanted))
        seen = subscriptions.wait(wanted, args.wait_ms / 1000, args.settle_ms / 1000)
        say("%d subscription(s) arrived" % seen)
    topics = args.topic.split(",")
    next_seq = {}

    def publish(topic, text=None):
        seq = next_seq.get(topic, 0)
        next_seq[topic] = seq + 1
        event = seed.Event(topic=topic, seq=seq, text=generated_text(topic, seq) if text is None else text)
        unheard = subscriptions.unheard
        subscriptions.count_send(1)
        socket.send_multipart([topic.encode(), pack(args.framing, [event])])
        return subscriptions.unheard > unheard

    published = 0
    if args.count is not None:
        for i in range(args.count):
            publish(topics[i % len(topics)])
            published += 1
            if args.interval_ms:
                time.sleep(args.interval_ms / 1000)
    else:
        for line in sys.stdin:
            nobody = publish(topics[0], line.rstrip("\r\n"))
            published += 1
            say("published on %s%s" % (topics[0], " (no subscriber: nobody received it)" if nobody else ""))
    say(
        "published %d events in %d frames; %d of them while no subscriber was subscribed (reached nobody)"
        % (published, published, subscriptions.unheard)
    )
    summary(published=published, unheard=subscriptions.unheard)
    socket.close(linger=2000)
    context.term()


def subscriber(args):
    context = zmq.Context()
    socket = context.socket(zmq.SUB)
    prefixes = args.topic.split(",")
    for prefix in prefixes:
        socket.setsockopt(zmq.SUBSCRIBE, prefix.encode())
    socket.connect(args.connect)
    say("subscribed to %s at %s" % ("[%s]" % ", ".join('"%s"' % p for p in prefixes), args.connect))
    received = generated_ok = bad = before = after = 0
    per_topic, next_seq = {}, {}
    reached = None
    last = time.monotonic()
    while True:
        now = time.monotonic()
        if args.count is not None and reached is None and received >= args.count:
            reached = now
        if reached is not None and now - reached >= args.settle_ms / 1000:
            break
        if now - last >= args.timeout_ms / 1000:
            break
        if not socket.poll(50):
            continue
        frames = socket.recv_multipart()
        last = time.monotonic()
        if len(frames) != 2:
            bad += 1
            continue
        topic, frame = frames
        try:
            events = unpack(args.framing, frame, seed.Event)
        except (FrameError, DecodeError) as e:
            say("bad event: %s" % e)
            bad += 1
            continue
        for event in events:
            if event.topic.encode() != topic:
                bad += 1
                continue
            received += 1
            per_topic[event.topic] = per_topic.get(event.topic, 0) + 1
            if event.topic not in next_seq:
                before += event.seq
            else:
                after += max(0, event.seq - next_seq[event.topic])
            next_seq[event.topic] = event.seq + 1
            if event.text == generated_text(event.topic, event.seq):
                generated_ok += 1
            if not args.quiet:
                say("%s #%d: %s" % (event.topic, event.seq, event.text))
    summary(
        received=received,
        generated_ok=generated_ok,
        missed_before_join=before,
        missed_after_join=after,
        bad=bad,
        per_topic=counts(per_topic),
    )
    socket.close(linger=0)
    context.term()
    if args.count is not None and received < args.count:
        sys.exit("only %d events arrived" % received)


def main():
    p = parser(__doc__.splitlines()[0], ["publisher", "subscriber"])
    p.add_argument("--bind", default=ENDPOINT, help="publisher: endpoint to bind (default %(default)s)")
    p.add_argument("--connect", default=ENDPOINT, help="subscriber: publisher endpoint (default %(default)s)")
    p.add_argument("--topic", default=None, help="publisher: topics T1,T2 (default news); subscriber: prefixes (default: everything)")
    p.add_argument("--count", type=int, help="publisher: N generated events (default: stdin lines); subscriber: exit after N events")
    p.add_argument(
        "--subscribers",
        type=int,
        default=None,
        help="publisher: subscriptions to wait for first (default 1 with --count, else 0)",
    )
    p.add_argument("--wait-ms", type=int, default=10000, help="publisher: give up waiting for them after MS (default %(default)s)")
    p.add_argument("--interval-ms", type=int, default=0, help="publisher: pause between generated events (default %(default)s)")
    p.add_argument(
        "--settle-ms",
        type=int,
        default=None,
        help="publisher: then wait until no new subscription for MS (default 500); subscriber: keep listening MS after the N-th event (default 300)",
    )
    p.add_argument("--timeout-ms", type=int, default=3600 * 1000, help="subscriber: give up after MS without an event (default %(default)s)")
    p.add_argument("--quiet", action="store_true", help="subscriber: print no line per event")
    args = p.parse_args()
    if args.topic is None:
        args.topic = "news" if args.role == "publisher" else ""
    if args.settle_ms is None:
        args.settle_ms = 500 if args.role == "publisher" else 300
    publisher(args) if args.role == "publisher" else subscriber(args)


if __name__ == "__main__":
    main()
