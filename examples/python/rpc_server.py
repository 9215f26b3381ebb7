"""A Greeter RPC server in Python 3 (pyzmq + protobuf), speaking the zpb RPC protocol on a
ROUTER socket: wire-compatible with zpb's `rpc::Client` and `rpc_client.py`.

    python rpc_server.py [--bind EP] [--calls N]

SayHello answers "Hello, <name>!" after `delay_ms` (delayed replies wait in a queue while
other calls are served, so replies go out in any order); LotsOfReplies streams `count`
items; a nonzero `fail_code` fails the call with that status. Unknown methods, client
streaming, bad headers and undecodable requests are answered with error statuses; messages
without a routing envelope are dropped. With --calls, exits after answering N calls and
prints `summary: ok=.. failed=.. dropped=..`.
"""

import argparse
import heapq
import time

import zmq
from google.protobuf.message import DecodeError

import rpc_wire as wire

greeter = wire.load_greeter()


class Server:
    def __init__(self, socket):
        self.socket = socket
        self.ok = self.failed = self.dropped = self.served = 0
        self.due = []  # (time due, tie-breaker, frames) of delayed replies
        self.ticket = 0

    def send(self, envelope, kind, status, request_id, seq=0, message="", payload=b""):
        header = wire.reply_header(kind, status, request_id, seq, message)
        self.socket.send_multipart(envelope + [b"", header, payload])

    def fail(self, envelope, kind, status, request_id, message, seq=0):
        self.send(envelope, kind, status, request_id, seq, message)
        self.failed += 1

    def serve(self, frames):
        if b"" not in frames[1:]:
            self.dropped += 1
            return
        split = frames.index(b"", 1)
        envelope, rest = frames[:split], frames[split + 1 :]
        if len(rest) != 2:
            return self.fail(envelope, wire.REPLY, wire.INVALID_ARGUMENT, 0, "a request is 3 frames")
        try:
            request_id, _timeout_ms, path = wire.parse_request(rest[0])
        except wire.ProtocolError as e:
            return self.fail(envelope, wire.REPLY, wire.INVALID_ARGUMENT, e.args[1], e.args[0])
        service, _, method = path.partition("/")
        streaming = method == "LotsOfReplies"
        kind = wire.END if streaming else wire.REPLY
        if service != wire.SERVICE or method not in ("SayHello", "LotsOfReplies", "Record"):
            return self.fail(envelope, kind, wire.UNIMPLEMENTED, request_id, "no method %r" % path)
        if method == "Record":
            return self.fail(envelope, kind, wire.UNIMPLEMENTED, request_id, "client streaming")
        request = greeter.HelloRequest()
        try:
            request.ParseFromString(rest[1])
        except DecodeError as e:
            return self.fail(envelope, kind, wire.INVALID_ARGUMENT, request_id, str(e))
        if streaming:
            for index in range(request.count):
                item = greeter.HelloReply(message="Hello, %s #%d" % (request.name, index), index=index)
                self.send(envelope, wire.ITEM, 0, request_id, index, payload=item.SerializeToString())
            if request.fail_code:
                return self.fail(envelope, kind, request.fail_code, request_id,
                                 "%s asked to fail" % request.name, seq=request.count)
            self.send(envelope, wire.END, 0, request_id, request.count)
            self.ok += 1
            return
        self.ticket += 1
        heapq.heappush(self.due, (time.monotonic() + request.delay_ms / 1000.0, self.ticket,
                                  envelope, request_id, request))

    def answer_due(self):
        while self.due and self.due[0][0] <= time.monotonic():
            _, _, envelope, request_id, request = heapq.heappop(self.due)
            if request.fail_code:
                self.fail(envelope, wire.REPLY, request.fail_code, request_id,
                          "%s asked to fail" % request.name)
                continue
            reply = greeter.HelloReply(message="Hello, %s!" % request.name, served=self.served)
            self.served += 1
            self.send(envelope, wire.REPLY, 0, request_id, payload=reply.SerializeToString())
            self.ok += 1

    def wait_ms(self):
        if not self.due:
            return 1000
        return max(0, int((self.due[0][0] - time.monotonic()) * 1000) + 1)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bind", default="tcp://127.0.0.1:5570")
    p.add_argument("--calls", type=int, default=None, help="exit after answering N calls")
    args = p.parse_args()
    context = zmq.Context()
    socket = context.socket(zmq.ROUTER)
    socket.bind(args.bind)
    wire.say("bound %s" % wire.bound_endpoint(socket))
    server = Server(socket)
    while args.calls is None or server.ok + server.failed < args.calls:
        if socket.poll(server.wait_ms()):
            server.serve(socket.recv_multipart())
        server.answer_due()
    wire.summary(ok=server.ok, failed=server.failed, dropped=server.dropped)
    socket.close(linger=1000)
    context.term()


if __name__ == "__main__":
    main()
