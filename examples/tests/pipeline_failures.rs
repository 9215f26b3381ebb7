//! The pipeline when processes die. ZeroMQ delivers at most once: a worker killed with
//! SIGKILL loses every task already handed to its connection — queued in the ventilator's
//! pipe for it (up to the high-water mark), in the kernel's socket buffers, in its own
//! receive queue, the one it was working on — and the results still in its outgoing queue.
//! Nothing else is lost: a connecting PUSH keeps its queue while its peer restarts. The
//! ventilator's re-sending of unacknowledged tasks, with the sink keeping one result per
//! task id, turns that into exactly one effect per task.

mod support;

use std::io;
use std::thread;
use std::time::{Duration, Instant};
use support::{Proc, LOOPBACK};
use zpb::transport::{zmq, Framing, Options, Pull, Push};
use zpb_examples::pipeline::{SinkSummary, VentilatorConfig};
use zpb_examples::seed::Task;

const TASKS: u64 = 600;

struct Run {
    ventilated: Result<zpb_examples::pipeline::VentilatorSummary, String>,
    collected: SinkSummary,
    killed_after: u64,
}

/// Ventilator and sink in this process, three `zpb-examples pipeline worker` processes;
/// worker 2 is killed (SIGKILL) after 30 tasks and a replacement started.
fn run_with_a_killed_worker(framing: Framing, resend_after: Duration, timeout: Duration) -> Run {
    let ctx = zmq::Context::new();
    let (mut ventilator, sink) = support::ventilator_and_sink(
        &ctx,
        VentilatorConfig {
            tasks_bind: LOOPBACK.into(),
            acks_bind: LOOPBACK.into(),
            framing,
            count: TASKS,
            work_ms: 2,
            payload: 100,
            resend_after,
            workers: 3,
            batch: 1,
            timeout,
        },
        Duration::from_secs(3),
    );
    let f = framing.to_string();
    let (tasks, results) = (ventilator.tasks_endpoint.clone(), sink.endpoint.clone());
    let worker = |name: &str| {
        Proc::rust(&[
            "pipeline",
            "worker",
            "--pull",
            &tasks,
            "--push",
            &results,
            "--name",
            name,
            "--idle-exit-ms",
            "2000",
            "--framing",
            &f,
        ])
    };
    let (w1, mut w2, w3) = (worker("w1"), worker("w2"), worker("w3"));
    let collecting = thread::spawn(move || sink.run(&mut io::sink()).unwrap());
    ventilator.wait_for_workers().unwrap();
    let sending = thread::spawn(move || ventilator.run(&mut io::sink()).map_err(|e| e.to_string()));
    for _ in 0..30 {
        w2.line("w2 did task");
    }
    w2.kill();
    let restarted = worker("w2-restarted");
    let ventilated = sending.join().unwrap();
    let collected = collecting.join().unwrap();
    for w in [w1, w3, restarted] {
        w.success();
    }
    Run {
        ventilated,
        collected,
        killed_after: 30,
    }
}

#[test]
fn without_re_sending_a_killed_worker_loses_the_tasks_it_held() {
    // At most once: re-sending is off (an hour), so whatever the killed worker held is gone.
    let run = run_with_a_killed_worker(
        Framing::Delimited,
        Duration::from_secs(3600),
        Duration::from_secs(4),
    );
    let lost = TASKS - run.collected.distinct;
    let error = run.ventilated.unwrap_err();
    assert!(error.starts_with("timed out"), "{error}");
    assert!(
        lost > 0,
        "the killed worker held no task: {:?}",
        run.collected
    );
    assert_eq!(run.collected.duplicates, 0, "nothing was sent twice");
    assert_eq!(run.collected.wrong, 0);
    let w2 = run.collected.per_worker.get("w2").copied().unwrap_or(0);
    println!(
        "at most once: worker w2 killed after {} tasks; {lost} of {TASKS} tasks lost with its \
         connection ({w2} of its results had reached the sink)",
        run.killed_after
    );
}

#[test]
fn re_sending_gives_every_task_exactly_one_effect_despite_a_killed_worker() {
    for framing in [Framing::Delimited, Framing::Raw] {
        let run =
            run_with_a_killed_worker(framing, Duration::from_millis(700), Duration::from_secs(60));
        let sent = run.ventilated.unwrap();
        let c = &run.collected;
        assert_eq!(c.distinct, TASKS, "{framing}: {c:?}");
        assert_eq!(sent.acked, TASKS);
        assert_eq!((c.wrong, c.bad), (0, 0));
        assert!(sent.resent > 0, "the killed worker's tasks were re-sent");
        // Every duplicate comes from a re-send of a task whose first copy was only slow.
        assert!(c.duplicates <= sent.resent, "{c:?} {sent:?}");
        assert_eq!(c.per_worker.values().sum::<u64>(), TASKS);
        println!(
            "{framing}: {} re-sent, {} duplicates dropped at the sink, per worker {:?}",
            sent.resent, c.duplicates, c.per_worker
        );
    }
}

#[test]
fn a_connecting_push_keeps_its_queue_while_the_peer_restarts() {
    let ctx = zmq::Context::new();
    let options = Options {
        framing: Framing::Delimited,
        recv_timeout: Some(Duration::from_secs(10)),
        send_timeout: Some(Duration::from_secs(10)),
        track_peers: true,
        ..Options::default()
    };
    let mut sink = Pull::<Task>::new(&ctx, options).unwrap();
    let endpoint = sink.bind(LOOPBACK).unwrap();
    let mut worker = Push::<Task>::new(&ctx, options).unwrap();
    worker.connect(&endpoint).unwrap();
    let mut task = Task::default();
    for id in 0..10 {
        task.id = id;
        worker.send(&task).unwrap();
    }
    for id in 0..10 {
        sink.recv(&mut task).unwrap();
        assert_eq!(task.id, id);
    }
    // The sink goes away; once the worker has noticed, what it sends is queued.
    drop(sink);
    let deadline = Instant::now() + Duration::from_secs(10);
    while worker.peers().unwrap() > 0 {
        assert!(Instant::now() < deadline);
        thread::sleep(Duration::from_millis(5));
    }
    for id in 10..110 {
        task.id = id;
        worker.send(&task).unwrap();
    }
    // A new sink on the same endpoint gets all of it after the reconnection. libzmq closes
    // the old listener in the background: bind once the port is free again.
    let mut sink = Pull::<Task>::new(&ctx, options).unwrap();
    let started = Instant::now();
    while let Err(e) = sink.bind(&endpoint) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "bind {endpoint}: {e}"
        );
        thread::sleep(Duration::from_millis(20));
    }
    for id in 10..110 {
        sink.recv(&mut task).unwrap();
        assert_eq!(task.id, id);
    }
}
