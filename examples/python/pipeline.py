"""The pipeline, the seed's ventilator, worker and sink in Python 3 with protobuf messages.

    python pipeline.py ventilator [--bind EP] [--acks EP] [--count N] [--workers K] ...
    python pipeline.py worker [--pull EP] [--push EP] [--name NAME] [--idle-exit-ms MS]
    python pipeline.py sink [--bind EP] [--acks EP] [--count N]

Tasks go ventilator -> workers (PUSH/PULL, load-balanced) -> sink as Results; the sink
acknowledges each task id back to the ventilator, which re-sends what is not acknowledged
in time, and keeps the first result per task: exactly one effect per task even when a
worker dies with tasks queued. Wire-compatible with `cargo run --example pipeline`.
"""

import os
import sys
import time

import zmq
from google.protobuf.message import DecodeError
from zmq.utils.monitor import recv_monitor_message

from seed_common import (
    FrameError,
    bound_endpoint,
    counts,
    pack,
    parser,
    payload_byte,
    say,
    seed,
    summary,
    task_payload,
    unpack,
)

TASKS = "tcp://127.0.0.1:5557"
RESULTS = "tcp://127.0.0.1:5558"
ACKS = "tcp://127.0.0.1:5559"


def receive(socket, framing, cls):
    """The messages of one frame, or [] (reported) when it is bad input."""
    try:
        return unpack(framing, socket.recv(), cls)
    except (FrameError, DecodeError) as e:
        say("bad %s: %s" % (cls.__name__, e))
        return []


def wait_for_workers(socket, workers, timeout_ms):
    """Counts handshakes on a monitor socket until `workers` peers are connected."""
    monitor = socket.get_monitor_socket(
        zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED
    )
    connected = 0
    deadline = time.monotonic() + timeout_ms / 1000
    while connected < workers:
        if not monitor.poll(max(1, int((deadline - time.monotonic()) * 1000))):
            sys.exit("only %d of %d workers connected" % (connected, workers))
        event = recv_monitor_message(monitor)["event"]
        connected += 1 if event == zmq.EVENT_HANDSHAKE_SUCCEEDED else -1
    socket.disable_monitor()
    monitor.close()
    return connected


def ventilator(args):
    context = zmq.Context()
    tasks = context.socket(zmq.PUSH)
    tasks.setsockopt(zmq.SNDHWM, 20)
    tasks.bind(args.bind)
    acks = context.socket(zmq.PULL)
    acks.bind(args.acks)
    say("tasks on %s" % bound_endpoint(tasks))
    say("acks on %s" % bound_endpoint(acks))
    workers = wait_for_workers(tasks, args.workers, args.timeout_ms)
    say("%d worker(s) connected, sending" % workers)

    def send(task_id):
        task = seed.Task(id=task_id, payload=task_payload(task_id, args.payload), work_ms=args.work_ms)
        tasks.send(pack(args.framing, [task]), zmq.NOBLOCK)

    due = {}  # task id -> re-send deadline, until acknowledged
    sent = resent = acked = 0
    started = time.monotonic()
    last_scan = started
    while acked < args.count:
        now = time.monotonic()
        if now - started > args.timeout_ms / 1000:
            sys.exit("timed out: %d of %d tasks acknowledged" % (acked, args.count))
        try:
            while sent < args.count:
                send(sent)
                due[sent] = time.monotonic() + args.resend_ms / 1000
                sent += 1
        except zmq.Again:
            pass  # every worker's queue is full: acknowledgements first
        while acks.poll(10 if sent == args.count else 0):
            for ack in receive(acks, args.framing, seed.Result):
                if due.pop(ack.task_id, None) is not None:
                    acked += 1
        if now - last_scan >= 0.05:
            last_scan = now
            for task_id, deadline in list(due.items()):
                if deadline <= now:
                    try:
                        send(task_id)
                    except zmq.Again:
                        break
                    due[task_id] = now + args.resend_ms / 1000
                    resent += 1
                    say("re-sent task %d (not acknowledged in time)" % task_id)
    say("%d tasks acknowledged in %.3f s (%d re-sent)" % (acked, time.monotonic() - started, resent))
    summary(sent=sent, resent=resent, acked=acked)
    tasks.close(linger=1000)
    acks.close(linger=0)
    context.term()


def worker(args):
    context = zmq.Context()
    tasks = context.socket(zmq.PULL)
    tasks.setsockopt(zmq.RCVHWM, 20)
    tasks.connect(args.pull)
    results = context.socket(zmq.PUSH)
    results.connect(args.push)
    name = args.name or "py-worker-%d" % os.getpid()
    say("%s pulling from %s" % (name, args.pull))
    processed = 0
    last = time.monotonic()
    while True:
        if not tasks.poll(100):
            if args.idle_exit_ms and time.monotonic() - last >= args.idle_exit_ms / 1000:
                break
            continue
        last = time.monotonic()
        for task in receive(tasks, args.framing, seed.Task):
            time.sleep(task.work_ms / 1000)
            result = seed.Result(task_id=task.id, worker=name, payload=bytes(reversed(task.payload)))
            results.send(pack(args.framing, [result]))
            processed += 1
            if not args.quiet:
                say("%s did task %d" % (name, task.id))
    summary(processed=processed)
    tasks.close(linger=0)
    results.close(linger=5000)
    context.term()


def correct(result, size):
    p = result.payload
    return len(p) == size and all(b == payload_byte(result.task_id, size - 1 - i) for i, b in enumerate(p))


def sink(args):
    context = zmq.Context()
    results = context.socket(zmq.PULL)
    results.bind(args.bind)
    acks = context.socket(zmq.PUSH)
    acks.connect(args.acks)
    say("results on %s" % bound_endpoint(results))
    seen = set()
    per_worker = {}
    duplicates = wrong = bad = 0
    pending = []  # acknowledgements, sent in batches
    started = last = time.monotonic()
    while len(seen) < args.count and time.monotonic() - last < args.timeout_ms / 1000:
        if not results.poll(50):
            for frame in frames(args.framing, pending):
                acks.send(frame)
            pending = []
            continue
        last = time.monotonic()
        for result in receive(results, args.framing, seed.Result):
            if not 0 <= result.task_id < args.count:
                bad += 1
                continue
            if not correct(result, args.payload):
                wrong += 1
                continue
            if result.task_id in seen:
                duplicates += 1
            else:
                seen.add(result.task_id)
                per_worker[result.worker] = per_worker.get(result.worker, 0) + 1
                if not args.quiet:
                    say("task %d done by %s" % (result.task_id, result.worker))
            pending.append(seed.Result(task_id=result.task_id))
            if len(pending) >= 64:
                for frame in frames(args.framing, pending):
                    acks.send(frame)
                pending = []
    for frame in frames(args.framing, pending):
        acks.send(frame)
    say("%d distinct results in %.3f s, %d duplicates dropped" % (len(seen), time.monotonic() - started, duplicates))
    summary(distinct=len(seen), duplicates=duplicates, wrong=wrong, bad=bad, per_worker=counts(per_worker))
    results.close(linger=0)
    acks.close(linger=2000)
    context.term()
    if len(seen) < args.count:
        sys.exit("only %d of %d tasks completed" % (len(seen), args.count))


def frames(framing, messages):
    """Delimited framing batches messages in one frame; raw framing sends one per frame."""
    if not messages:
        return []
    if framing == "delimited":
        return [pack(framing, messages)]
    return [pack(framing, [m]) for m in messages]


def main():
    p = parser(__doc__.splitlines()[0], ["ventilator", "worker", "sink"])
    p.add_argument("--bind")
    p.add_argument("--acks", default=ACKS)
    p.add_argument("--pull", default=TASKS)
    p.add_argument("--push", default=RESULTS)
    p.add_argument("--name")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--payload", type=int, default=100)
    p.add_argument("--work-ms", type=int, default=1)
    p.add_argument("--resend-ms", type=int, default=2000)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--idle-exit-ms", type=int, default=0)
    p.add_argument("--timeout-ms", type=int, default=300000)
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args()
    if args.bind is None:
        args.bind = TASKS if args.role == "ventilator" else RESULTS
    {"ventilator": ventilator, "worker": worker, "sink": sink}[args.role](args)


if __name__ == "__main__":
    main()
