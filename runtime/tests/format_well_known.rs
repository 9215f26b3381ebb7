//! `zpb::format::well_known`: the Timestamp, Duration and FieldMask forms at their limits and
//! the inputs protobuf's conformance suite rejects.

use zpb::format::well_known::{duration, field_mask, timestamp, WellKnownError};

fn ts(seconds: i64, nanos: i32) -> Result<String, WellKnownError> {
    let mut out = String::new();
    timestamp::format(seconds, nanos, &mut out).map(|()| out)
}

fn dur(seconds: i64, nanos: i32) -> Result<String, WellKnownError> {
    let mut out = String::new();
    duration::format(seconds, nanos, &mut out).map(|()| out)
}

#[test]
fn timestamps_print_with_0_3_6_9_digits_in_range() {
    assert_eq!(ts(0, 0).unwrap(), "1970-01-01T00:00:00Z");
    assert_eq!(ts(0, 10_000_000).unwrap(), "1970-01-01T00:00:00.010Z");
    assert_eq!(ts(0, 10_000).unwrap(), "1970-01-01T00:00:00.000010Z");
    assert_eq!(ts(0, 1).unwrap(), "1970-01-01T00:00:00.000000001Z");
    assert_eq!(
        ts(-1, 999_999_999).unwrap(),
        "1969-12-31T23:59:59.999999999Z"
    );
    assert_eq!(
        ts(timestamp::MIN_SECONDS, 0).unwrap(),
        "0001-01-01T00:00:00Z"
    );
    assert_eq!(
        ts(timestamp::MAX_SECONDS, 999_999_999).unwrap(),
        "9999-12-31T23:59:59.999999999Z"
    );
    assert_eq!(ts(951_782_400, 0).unwrap(), "2000-02-29T00:00:00Z");
    assert_eq!(
        ts(timestamp::MIN_SECONDS - 1, 0),
        Err(WellKnownError::TimestampOutOfRange)
    );
    assert_eq!(
        ts(timestamp::MAX_SECONDS + 1, 0),
        Err(WellKnownError::TimestampOutOfRange)
    );
    assert_eq!(ts(i64::MIN, 0), Err(WellKnownError::TimestampOutOfRange));
    assert_eq!(ts(0, -1), Err(WellKnownError::InvalidNanos));
    assert_eq!(ts(0, 1_000_000_000), Err(WellKnownError::InvalidNanos));
}

#[test]
fn timestamps_parse_offsets_and_reject_what_protobuf_rejects() {
    let ok = |s: &str| timestamp::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
    assert_eq!(ok("1970-01-01T00:00:00Z"), (0, 0));
    assert_eq!(ok("1970-01-01T00:00:00.1Z"), (0, 100_000_000));
    assert_eq!(ok("1970-01-01T00:00:00.123456789Z"), (0, 123_456_789));
    assert_eq!(ok("1970-01-01T08:00:00+08:00"), (0, 0));
    assert_eq!(ok("1969-12-31T16:00:00-08:00"), (0, 0));
    assert_eq!(ok("0001-01-01T00:00:00Z"), (timestamp::MIN_SECONDS, 0));
    assert_eq!(
        ok("9999-12-31T23:59:59.999999999Z"),
        (timestamp::MAX_SECONDS, 999_999_999)
    );
    assert_eq!(ok("2000-02-29T12:00:00Z").0, 951_825_600);
    assert_eq!(ok("0001-01-01T01:00:00+01:00"), (timestamp::MIN_SECONDS, 0));
    for (bad, at) in [
        ("1970-01-01t00:00:00Z", 10),
        ("1970-01-01T00:00:00z", 19),
        ("1970-01-01T00:00:00", 19),
        ("1970-01-01 00:00:00Z", 10),
        ("1970-01-01T00:00:00.Z", 20),
        ("1970-01-01T00:00:00.1234567891Z", 29),
        ("1970-01-01T00:00:00+0800", 22),
        ("1970-01-01T00:00:00+24:00", 19),
        ("1970-01-01T00:00:00+08:60", 19),
        ("1970-02-30T00:00:00Z", 8),
        ("1900-02-29T00:00:00Z", 8),
        ("1970-13-01T00:00:00Z", 5),
        ("1970-00-01T00:00:00Z", 5),
        ("1970-01-00T00:00:00Z", 8),
        ("1970-01-01T24:00:00Z", 11),
        ("1970-01-01T23:60:00Z", 11),
        ("1970-01-01T23:59:60Z", 11),
        ("10000-01-01T00:00:00Z", 4),
        ("197-01-01T00:00:00Z", 3),
        ("+1970-01-01T00:00:00Z", 0),
        ("1970-01-01T00:00:00Z ", 20),
        ("", 0),
    ] {
        assert_eq!(
            timestamp::parse(bad),
            Err(WellKnownError::Syntax {
                what: "timestamp",
                offset: at
            }),
            "{bad}"
        );
    }
    for out_of_range in [
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00+00:01",
        "9999-12-31T23:59:59-00:01",
    ] {
        assert_eq!(
            timestamp::parse(out_of_range),
            Err(WellKnownError::TimestampOutOfRange),
            "{out_of_range}"
        );
    }
}

#[test]
fn durations_print_with_sign_rules() {
    assert_eq!(dur(0, 0).unwrap(), "0s");
    assert_eq!(dur(1, 500_000_000).unwrap(), "1.500s");
    assert_eq!(dur(-1, -500_000_000).unwrap(), "-1.500s");
    assert_eq!(dur(0, -500_000_000).unwrap(), "-0.500s");
    assert_eq!(dur(0, 1_000).unwrap(), "0.000001s");
    assert_eq!(dur(0, -1).unwrap(), "-0.000000001s");
    assert_eq!(
        dur(315_576_000_000, 999_999_999).unwrap(),
        "315576000000.999999999s"
    );
    assert_eq!(
        dur(-315_576_000_000, -999_999_999).unwrap(),
        "-315576000000.999999999s"
    );
    assert_eq!(
        dur(315_576_000_001, 0),
        Err(WellKnownError::DurationOutOfRange)
    );
    assert_eq!(dur(i64::MIN, 0), Err(WellKnownError::DurationOutOfRange));
    assert_eq!(dur(1, -1), Err(WellKnownError::InvalidNanos));
    assert_eq!(dur(-1, 1), Err(WellKnownError::InvalidNanos));
    assert_eq!(dur(0, 1_000_000_000), Err(WellKnownError::InvalidNanos));
    assert_eq!(duration::validate(0, 5), Ok(()));
}

#[test]
fn durations_parse_strictly() {
    let ok = |s: &str| duration::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
    assert_eq!(ok("1.5s"), (1, 500_000_000));
    assert_eq!(ok("-1.5s"), (-1, -500_000_000));
    assert_eq!(ok("-0.5s"), (0, -500_000_000));
    assert_eq!(ok("-0s"), (0, 0));
    assert_eq!(ok("0.000000001s"), (0, 1));
    assert_eq!(
        ok("315576000000.999999999s"),
        (315_576_000_000, 999_999_999)
    );
    assert_eq!(ok("-315576000000s"), (-315_576_000_000, 0));
    assert_eq!(ok("007s"), (7, 0));
    for (bad, at) in [
        ("1", 1),
        ("1.s", 2),
        (".5s", 0),
        ("+1s", 0),
        ("1.0000000000s", 11),
        ("1s ", 2),
        (" 1s", 0),
        ("1S", 1),
        ("-s", 1),
        ("1e3s", 1),
        ("", 0),
    ] {
        assert_eq!(
            duration::parse(bad),
            Err(WellKnownError::Syntax {
                what: "duration",
                offset: at
            }),
            "{bad}"
        );
    }
    assert_eq!(
        duration::parse("315576000001s"),
        Err(WellKnownError::DurationOutOfRange)
    );
    assert_eq!(
        duration::parse("-99999999999999999999999s"),
        Err(WellKnownError::DurationOutOfRange)
    );
}

#[test]
fn field_mask_paths_follow_protobuf_rules() {
    let camel = |s: &str| {
        let mut out = String::new();
        field_mask::snake_to_camel(s, &mut out).map(|()| out)
    };
    let snake = |s: &str| {
        let mut out = String::new();
        field_mask::camel_to_snake(s, &mut out).map(|()| out)
    };
    assert_eq!(camel("foo_bar.baz_qux").unwrap(), "fooBar.bazQux");
    assert_eq!(camel("foo").unwrap(), "foo");
    assert_eq!(camel("_foo").unwrap(), "Foo");
    assert_eq!(camel("foo3_bar").unwrap(), "foo3Bar");
    for bad in ["fooBar", "foo__bar", "foo_3", "foo_", "foo_.bar", "foo_Bar"] {
        assert_eq!(
            camel(bad),
            Err(WellKnownError::InvalidFieldMaskPath),
            "{bad}"
        );
    }
    assert_eq!(snake("fooBar.bazQux").unwrap(), "foo_bar.baz_qux");
    assert_eq!(snake("FooBAR").unwrap(), "_foo_b_a_r");
    assert_eq!(snake("foo_bar"), Err(WellKnownError::InvalidFieldMaskPath));
    let mut out = String::new();
    field_mask::format(["a_b", "c.d_e"], &mut out).unwrap();
    assert_eq!(out, "aB,c.dE");
    let (mut scratch, mut paths) = (String::new(), Vec::new());
    field_mask::parse("aB,c.dE", &mut scratch, |p| paths.push(p.to_owned())).unwrap();
    assert_eq!(paths, ["a_b", "c.d_e"]);
    paths.clear();
    field_mask::parse("", &mut scratch, |p| paths.push(p.to_owned())).unwrap();
    assert!(paths.is_empty());
    assert_eq!(
        field_mask::parse("a,b_c", &mut scratch, |_| {}),
        Err(WellKnownError::InvalidFieldMaskPath)
    );
}

#[test]
fn random_round_trips() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let span = (timestamp::MAX_SECONDS - timestamp::MIN_SECONDS + 1) as u64;
    for _ in 0..20_000 {
        let seconds = timestamp::MIN_SECONDS + (next() % span) as i64;
        let nanos = (next() % 1_000_000_000) as i32;
        let text = ts(seconds, nanos).unwrap();
        assert_eq!(timestamp::parse(&text), Ok((seconds, nanos)), "{text}");
        let seconds =
            (next() % (2 * duration::MAX_SECONDS as u64 + 1)) as i64 - duration::MAX_SECONDS;
        let nanos = match seconds {
            0 => (next() % 1_999_999_999) as i32 - 999_999_999,
            s => s.signum() as i32 * (next() % 1_000_000_000) as i32,
        };
        let text = dur(seconds, nanos).unwrap();
        assert_eq!(duration::parse(&text), Ok((seconds, nanos)), "{text}");
    }
}
