//! Rust ↔ Python (pyzmq + Google's protobuf, code from `protoc --python_out`) for every
//! pattern, in both directions and both framings, with exact counts and contents.

mod support;

use std::io;
use std::thread;
use std::time::Duration;
use support::{num, Proc, FRAMINGS, LOOPBACK};
use zpb::transport::{zmq, Framing};
use zpb_examples::pipeline::{self, VentilatorConfig, WorkerConfig};
use zpb_examples::pub_sub::{
    topic_of, Publisher, PublisherConfig, Subscriber, SubscriberConfig, SETTLE,
};
use zpb_examples::req_rep::{self, ClientConfig, Server, ServerConfig};

const WAIT: Duration = Duration::from_secs(30);

fn rust_server(ctx: &zmq::Context, framing: Framing, requests: u64) -> Server {
    Server::bind(
        ctx,
        ServerConfig {
            bind: LOOPBACK.into(),
            framing,
            max_requests: Some(requests),
            idle_exit: Some(WAIT),
            quiet: true,
        },
    )
    .unwrap()
}

#[test]
fn req_rep_rust_server_python_client() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        let server = rust_server(&ctx, framing, 200);
        let endpoint = server.endpoint.clone();
        let serving = thread::spawn(move || server.run(&mut io::sink()).unwrap());
        let f = framing.to_string();
        let client = Proc::python(
            "req_rep.py",
            &[
                "client",
                "--connect",
                &endpoint,
                "--count",
                "200",
                "--framing",
                &f,
            ],
        );
        // The Python client checks every reply's id and text itself.
        assert_eq!(num(&client.success(), "round_trips"), 200, "{framing}");
        let served = serving.join().unwrap();
        assert_eq!((served.answered, served.bad), (200, 0), "{framing}");
    }
}

#[test]
fn req_rep_python_server_rust_client() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        let f = framing.to_string();
        let mut server = Proc::python(
            "req_rep.py",
            &[
                "server",
                "--bind",
                LOOPBACK,
                "--count",
                "200",
                "--quiet",
                "--framing",
                &f,
            ],
        );
        let endpoint = server.endpoint("bound");
        let config = ClientConfig {
            connect: endpoint,
            framing,
            timeout: WAIT,
        };
        // Every reply is checked (id and text) by `generated`.
        let done = req_rep::generated(&ctx, &config, 200).unwrap();
        assert_eq!(done.round_trips, 200);
        let summary = server.success();
        assert_eq!((num(&summary, "answered"), num(&summary, "bad")), (200, 0));
    }
}

#[test]
fn mismatched_framing_is_reported_and_answered() {
    // A raw-framing Python client talking to a delimited Rust server: its request is not a
    // delimited record, so the server answers with an error and keeps serving.
    let ctx = zmq::Context::new();
    let server = rust_server(&ctx, Framing::Delimited, 2);
    let endpoint = server.endpoint.clone();
    let serving = thread::spawn(move || server.run(&mut io::sink()).unwrap());
    let raw = Proc::python(
        "req_rep.py",
        &[
            "client",
            "--connect",
            &endpoint,
            "--count",
            "1",
            "--framing",
            "raw",
        ],
    );
    let (status, _) = raw.finish();
    assert!(
        !status.success(),
        "the raw client cannot read the reply either"
    );
    let good = Proc::python(
        "req_rep.py",
        &["client", "--connect", &endpoint, "--count", "1"],
    );
    assert_eq!(num(&good.success(), "round_trips"), 1);
    let served = serving.join().unwrap();
    assert_eq!((served.answered, served.bad), (1, 1));
}

/// Events per topic among `count` generated over `topics` topics.
fn expected_on(count: u64, topics: usize, batch: bool, topic: usize) -> u64 {
    (0..count)
        .filter(|&i| topic_of(i, topics, batch) == topic)
        .count() as u64
}

#[test]
fn rust_publisher_python_subscribers() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        let batch = framing == Framing::Delimited;
        let mut publisher = Publisher::bind(
            &ctx,
            PublisherConfig {
                bind: LOOPBACK.into(),
                framing,
                topics: vec!["news".into(), "weather".into()],
                subscribers: 2,
                wait: WAIT,
                settle: SETTLE,
                interval: Duration::ZERO,
                batch,
                hwm: 1000,
            },
        )
        .unwrap();
        let (total, news) = (400, expected_on(400, 2, batch, 0));
        let f = framing.to_string();
        let (news_count, total_count) = (news.to_string(), total.to_string());
        let endpoint = publisher.endpoint.clone();
        let sub = |prefix: &str, count: &str| {
            let args = [
                "subscriber",
                "--connect",
                &endpoint,
                "--topic",
                prefix,
                "--count",
                count,
                "--quiet",
                "--framing",
                &f,
                "--timeout-ms",
                "30000",
            ];
            Proc::python("pub_sub.py", &args)
        };
        let news_sub = sub("news", &news_count);
        let all_sub = sub("", &total_count);
        publisher.wait_for_subscribers(2).unwrap();
        publisher.generated(total).unwrap();
        for (summary, expected, topics) in [
            (news_sub.success(), news, format!("news:{news}")),
            (
                all_sub.success(),
                total,
                format!("news:{news},weather:{}", total - news),
            ),
        ] {
            assert_eq!(num(&summary, "received"), expected, "{framing} {summary:?}");
            assert_eq!(num(&summary, "generated_ok"), expected);
            assert_eq!(num(&summary, "missed_before_join"), 0);
            assert_eq!(num(&summary, "missed_after_join"), 0);
            assert_eq!(num(&summary, "bad"), 0);
            assert_eq!(summary["per_topic"], topics);
        }
    }
}

/// The seed's own PUB/SUB usage, as a new user runs it: subscribers first (each in its own
/// process), then a publisher process with default flags that sends a counted run and
/// exits. By default the publisher waits for a subscription, then for the others to settle,
/// so every event arrives and none goes unheard. Rust publisher with Python subscribers,
/// and Python publisher with Rust subscribers.
#[test]
fn subscribers_first_then_a_publisher_with_default_flags() {
    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    for publisher_in in ["rust", "python"] {
        let endpoint = format!(
            "ipc://{}/first-{publisher_in}-{}.ipc",
            tmp.display(),
            std::process::id()
        );
        let sub = |prefix: &str, count: &str| {
            let args = [
                "subscriber",
                "--connect",
                &endpoint,
                "--topic",
                prefix,
                "--count",
                count,
                "--quiet",
                "--timeout-ms",
                "30000",
            ];
            match publisher_in {
                "rust" => Proc::python("pub_sub.py", &args),
                _ => Proc::rust(&[&["pub_sub"][..], &args].concat()),
            }
        };
        let mut subs = [(sub("news", "150"), 150), (sub("", "300"), 300)];
        for (sub, _) in &mut subs {
            sub.line("subscribed to");
        }
        let args = [
            "publisher",
            "--bind",
            &endpoint,
            "--topic",
            "news,weather",
            "--count",
            "300",
        ];
        let publisher = match publisher_in {
            "rust" => Proc::rust(&[&["pub_sub"][..], &args].concat()),
            _ => Proc::python("pub_sub.py", &args),
        };
        let published = publisher.success();
        assert_eq!(num(&published, "published"), 300, "{publisher_in}");
        assert_eq!(num(&published, "unheard"), 0, "{publisher_in}");
        for (sub, expected) in subs {
            let seen = sub.success();
            assert_eq!(num(&seen, "received"), expected, "{publisher_in} {seen:?}");
            assert_eq!(num(&seen, "generated_ok"), expected);
            assert_eq!(num(&seen, "missed_before_join"), 0);
            assert_eq!(num(&seen, "missed_after_join"), 0);
            assert_eq!(num(&seen, "bad"), 0);
        }
    }
}

#[test]
fn python_publisher_rust_subscribers() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        let f = framing.to_string();
        let mut publisher = Proc::python(
            "pub_sub.py",
            &[
                "publisher",
                "--bind",
                LOOPBACK,
                "--topic",
                "news,weather",
                "--count",
                "300",
                "--subscribers",
                "2",
                "--framing",
                &f,
            ],
        );
        let endpoint = publisher.endpoint("bound");
        let spawn = |prefix: &str, count: u64| {
            let sub = Subscriber::connect(
                &ctx,
                SubscriberConfig {
                    connect: endpoint.clone(),
                    framing,
                    topics: vec![prefix.to_string()],
                    count: Some(count),
                    settle: Duration::from_millis(300),
                    timeout: WAIT,
                    quiet: true,
                    hwm: 1000,
                },
            )
            .unwrap();
            thread::spawn(move || sub.run(&mut io::sink()).unwrap())
        };
        let news = spawn("news", 150);
        let all = spawn("", 300);
        assert_eq!(num(&publisher.success(), "published"), 300);
        for (seen, expected) in [(news.join().unwrap(), 150), (all.join().unwrap(), 300)] {
            assert_eq!(seen.received, expected, "{framing} {seen:?}");
            assert_eq!(seen.generated_ok, expected);
            assert_eq!(seen.missed_before_join + seen.missed_after_join, 0);
            assert_eq!(seen.bad, 0);
        }
    }
}

fn rust_worker(
    ctx: &zmq::Context,
    tasks: &str,
    results: &str,
    framing: Framing,
) -> thread::JoinHandle<pipeline::WorkerSummary> {
    let config = WorkerConfig {
        pull: tasks.to_string(),
        push: results.to_string(),
        framing,
        name: "rust-worker".into(),
        idle_exit: Some(Duration::from_millis(1500)),
        crash_after: None,
        quiet: true,
    };
    let ctx = ctx.clone();
    thread::spawn(move || pipeline::worker(&ctx, &config, &mut io::sink()).unwrap())
}

fn python_worker(tasks: &str, results: &str, framing: Framing) -> Proc {
    let f = framing.to_string();
    Proc::python(
        "pipeline.py",
        &[
            "worker",
            "--pull",
            tasks,
            "--push",
            results,
            "--name",
            "python-worker",
            "--idle-exit-ms",
            "1500",
            "--quiet",
            "--framing",
            &f,
        ],
    )
}

const TASKS: u64 = 300;

#[test]
fn pipeline_rust_ventilator_and_sink_with_mixed_workers() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        let (mut ventilator, sink) = support::ventilator_and_sink(
            &ctx,
            VentilatorConfig {
                tasks_bind: LOOPBACK.into(),
                acks_bind: LOOPBACK.into(),
                framing,
                count: TASKS,
                work_ms: 1,
                payload: 100,
                resend_after: Duration::from_secs(5),
                workers: 2,
                batch: 1,
                timeout: WAIT,
            },
            WAIT,
        );
        let py = python_worker(&ventilator.tasks_endpoint, &sink.endpoint, framing);
        let rs = rust_worker(&ctx, &ventilator.tasks_endpoint, &sink.endpoint, framing);
        let collecting = thread::spawn(move || sink.run(&mut io::sink()).unwrap());
        ventilator.wait_for_workers().unwrap();
        let sent = ventilator.run(&mut io::sink()).unwrap();
        let collected = collecting.join().unwrap();
        assert_eq!((sent.sent, sent.acked), (TASKS, TASKS), "{framing}");
        assert_eq!(collected.distinct, TASKS);
        assert_eq!((collected.wrong, collected.bad), (0, 0));
        let by_python = collected.per_worker["python-worker"];
        let by_rust = collected.per_worker["rust-worker"];
        assert_eq!(by_python + by_rust, TASKS, "{:?}", collected.per_worker);
        assert!(by_python > 0 && by_rust > 0, "{:?}", collected.per_worker);
        assert_eq!(
            num(&py.success(), "processed") + rs.join().unwrap().processed,
            TASKS + collected.duplicates
        );
    }
}

#[test]
fn pipeline_python_ventilator_and_sink_with_mixed_workers() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        let f = framing.to_string();
        let count = TASKS.to_string();
        // The ventilator binds tasks and acknowledgements, the sink binds results and
        // connects to the acknowledgements, the workers connect to both.
        let mut ventilator = Proc::python(
            "pipeline.py",
            &[
                "ventilator",
                "--bind",
                LOOPBACK,
                "--acks",
                LOOPBACK,
                "--count",
                &count,
                "--workers",
                "2",
                "--framing",
                &f,
                "--timeout-ms",
                "30000",
            ],
        );
        let tasks = ventilator.endpoint("tasks on");
        let acks = ventilator.endpoint("acks on");
        let mut sink = Proc::python(
            "pipeline.py",
            &[
                "sink",
                "--bind",
                LOOPBACK,
                "--acks",
                &acks,
                "--count",
                &count,
                "--quiet",
                "--framing",
                &f,
                "--timeout-ms",
                "30000",
            ],
        );
        let results = sink.endpoint("results on");
        let py = python_worker(&tasks, &results, framing);
        let rs = rust_worker(&ctx, &tasks, &results, framing);
        let sent = ventilator.success();
        let collected = sink.success();
        assert_eq!(
            (num(&sent, "sent"), num(&sent, "acked")),
            (TASKS, TASKS),
            "{framing}"
        );
        assert_eq!(num(&collected, "distinct"), TASKS);
        assert_eq!((num(&collected, "wrong"), num(&collected, "bad")), (0, 0));
        let per_worker = &collected["per_worker"];
        assert!(
            per_worker.contains("python-worker:") && per_worker.contains("rust-worker:"),
            "{per_worker}"
        );
        let processed = num(&py.success(), "processed") + rs.join().unwrap().processed;
        assert_eq!(processed, TASKS + num(&collected, "duplicates"));
    }
}
