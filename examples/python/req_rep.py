"""REQ/REP, the seed's server and client in Python 3 with protobuf messages.

    python req_rep.py server [--bind EP] [--count N] [--framing raw|delimited]
    python req_rep.py client [--connect EP] [--count N] [--framing raw|delimited]

The server prints each request and answers Reply(text="server response!"); the client sends
stdin lines (q quits) or, with --count, N generated requests, checking every reply.
Wire-compatible with `cargo run --example req_rep`.
"""

import sys
import time

import zmq
from google.protobuf.message import DecodeError

from seed_common import FrameError, bound_endpoint, pack, parser, say, seed, summary, unpack

ENDPOINT = "tcp://127.0.0.1:5555"
REPLY_TEXT = "server response!"


def server(args):
    context = zmq.Context()
    socket = context.socket(zmq.REP)
    socket.bind(args.bind)
    say("bound %s (%s framing)" % (bound_endpoint(socket), args.framing))
    answered = bad = 0
    while args.count is None or answered + bad < args.count:
        frame = socket.recv()
        try:
            (request,) = unpack(args.framing, frame, seed.Request)
            reply = seed.Reply(id=request.id, text=REPLY_TEXT)
            answered += 1
            if not args.quiet:
                say("request %d: %r" % (request.id, request.text))
        except (FrameError, DecodeError, ValueError) as e:
            # Still answer: REQ/REP must stay in lockstep.
            reply = seed.Reply(text="error: %s" % e)
            bad += 1
            say("bad request (%s): answered with an error" % e)
        socket.send(pack(args.framing, [reply]))
    summary(answered=answered, bad=bad)
    socket.close(linger=1000)
    context.term()


def round_trip(socket, framing, request):
    socket.send(pack(framing, [request]))
    try:
        (reply,) = unpack(framing, socket.recv(), seed.Reply)
    except (FrameError, DecodeError, ValueError) as e:
        sys.exit("undecodable reply to request %d: %s" % (request.id, e))
    if reply.id != request.id or reply.text != REPLY_TEXT:
        sys.exit("unexpected reply %r to request %d" % (reply, request.id))
    return reply


def client(args):
    context = zmq.Context()
    socket = context.socket(zmq.REQ)
    socket.setsockopt(zmq.RCVTIMEO, args.timeout_ms)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(args.connect)
    started = time.perf_counter()
    done = 0
    if args.count is not None:
        for i in range(1, args.count + 1):
            round_trip(socket, args.framing, seed.Request(id=i, text="request %d" % i))
            done += 1
    else:
        say("type a line to send it, q to quit")
        for line in sys.stdin:
            text = line.rstrip("\r\n")
            if text == "q":
                break
            done += 1
            reply = round_trip(socket, args.framing, seed.Request(id=done, text=text))
            say("reply %d: %s" % (reply.id, reply.text))
    seconds = time.perf_counter() - started
    say("%d round trips in %.3f s: %.0f round trips/s" % (done, seconds, done / max(seconds, 1e-9)))
    summary(round_trips=done)
    socket.close()
    context.term()


def main():
    p = parser(__doc__.splitlines()[0], ["server", "client"])
    p.add_argument("--bind", default=ENDPOINT)
    p.add_argument("--connect", default=ENDPOINT)
    p.add_argument("--count", type=int)
    p.add_argument("--timeout-ms", type=int, default=5000)
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args()
    try:
        server(args) if args.role == "server" else client(args)
    except zmq.Again:
        sys.exit("timed out waiting for a reply")


if __name__ == "__main__":
    main()
