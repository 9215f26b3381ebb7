"""A Greeter RPC client in Python 3 (pyzmq + protobuf), speaking the zpb RPC protocol on a
DEALER socket: wire-compatible with zpb's `rpc::Server` and `rpc_server.py`.

    python rpc_client.py [--connect EP] [--calls N] [--in-flight K] [--stream M] [--timeout-ms T]

Makes N SayHello calls with up to K in flight (later calls are quicker, so replies come back
out of order and are matched by request id), one LotsOfReplies call streaming M items, and
checks the typed errors: a call asked to fail (status 5), an unknown method (12) and a
client-streaming rpc (12). Every reply is checked; any mismatch, or no reply within the
timeout, exits with an error. Prints `summary: calls=.. out_of_order=.. streamed=.. errors=..`.
"""

import argparse
import sys
import time

import zmq

import rpc_wire as wire

greeter = wire.load_greeter()


class Client:
    def __init__(self, socket, timeout_ms):
        self.socket = socket
        self.timeout_ms = timeout_ms
        self.next_id = 0

    def start(self, method, request):
        self.next_id += 1
        header = wire.request_header(wire.SERVICE + "/" + method, self.next_id, self.timeout_ms)
        self.socket.send_multipart([b"", header, request.SerializeToString()])
        return self.next_id

    def receive(self, deadline):
        """The next reply: (kind, status, request id, seq, message, payload)."""
        left = deadline - time.monotonic()
        if left <= 0 or not self.socket.poll(int(left * 1000) + 1):
            sys.exit("no reply within %d ms" % self.timeout_ms)
        frames = self.socket.recv_multipart()
        if len(frames) != 3 or frames[0] != b"":
            sys.exit("malformed reply: %d frames" % len(frames))
        return wire.parse_reply(frames[1]) + (frames[2],)

    def call(self, method, request):
        """One call, alone in flight: (status, message, reply payload)."""
        request_id = self.start(method, request)
        kind, status, got_id, _seq, message, payload = self.receive(self.deadline())
        if (kind, got_id) != (wire.REPLY, request_id):
            sys.exit("reply kind %d for call %d, expected a reply for %d" % (kind, got_id, request_id))
        return status, message, payload

    def deadline(self):
        return time.monotonic() + self.timeout_ms / 1000.0


def expect(condition, what):
    if not condition:
        sys.exit("check failed: " + what)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--connect", default="tcp://127.0.0.1:5570")
    p.add_argument("--calls", type=int, default=100)
    p.add_argument("--in-flight", type=int, default=16)
    p.add_argument("--stream", type=int, default=20)
    p.add_argument("--timeout-ms", type=int, default=10000)
    args = p.parse_args()
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)
    socket.connect(args.connect)
    client = Client(socket, args.timeout_ms)

    # Unary calls, many in flight, answered in any order.
    pending, order, started = {}, [], 0
    deadline = client.deadline()
    while started < args.calls or pending:
        while started < args.calls and len(pending) < args.in_flight:
            name = "call %d" % started
            delay = (args.in_flight - started % args.in_flight) * 2
            request_id = client.start("SayHello", greeter.HelloRequest(name=name, delay_ms=delay))
            pending[request_id] = name
            started += 1
        kind, status, request_id, _seq, message, payload = client.receive(deadline)
        expect(request_id in pending, "reply to unknown call %d" % request_id)
        expect((kind, status) == (wire.REPLY, wire.OK), "call %d: status %d %s" % (request_id, status, message))
        reply = greeter.HelloReply()
        reply.ParseFromString(payload)
        expect(reply.message == "Hello, %s!" % pending.pop(request_id), "reply %r" % reply.message)
        order.append(request_id)
    out_of_order = sum(1 for a, b in zip(order, order[1:]) if a > b)

    # A server stream.
    request_id = client.start("LotsOfReplies", greeter.HelloRequest(name="py", count=args.stream))
    streamed, deadline = 0, client.deadline()
    while True:
        kind, status, got_id, seq, message, payload = client.receive(deadline)
        expect(got_id == request_id and seq == streamed, "stream frame %d/%d" % (got_id, seq))
        if kind == wire.END:
            expect(status == wire.OK, "stream ended with %d %s" % (status, message))
            break
        item = greeter.HelloReply()
        item.ParseFromString(payload)
        expect(kind == wire.ITEM and item.index == streamed, "item %r" % item)
        expect(item.message == "Hello, py #%d" % streamed, "item %r" % item.message)
        streamed += 1
    expect(streamed == args.stream, "%d items streamed" % streamed)

    # Typed errors.
    errors = 0
    status, message, _ = client.call("SayHello", greeter.HelloRequest(name="py", fail_code=5))
    expect((status, message) == (5, "py asked to fail"), "fail_code: %d %s" % (status, message))
    errors += 1
    status, message, _ = client.call("SayGoodbye", greeter.HelloRequest())
    expect(status == wire.UNIMPLEMENTED, "unknown method: %d %s" % (status, message))
    errors += 1
    status, message, _ = client.call("Record", greeter.HelloRequest())
    expect(status == wire.UNIMPLEMENTED, "client streaming: %d %s" % (status, message))
    errors += 1

    wire.summary(calls=len(order), out_of_order=out_of_order, streamed=streamed, errors=errors)
    socket.close(linger=0)
    context.term()


if __name__ == "__main__":
    main()
