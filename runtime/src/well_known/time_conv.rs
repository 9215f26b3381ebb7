//! `std::time` conversions of the generated `google.protobuf.Timestamp` and
//! `google.protobuf.Duration`.
//!
//! ```
//! use zpb::well_known::{Duration, Timestamp};
//! let t = Timestamp::from(std::time::UNIX_EPOCH + std::time::Duration::new(5, 7));
//! assert_eq!((t.seconds, t.nanos), (5, 7));
//! assert_eq!(std::time::SystemTime::try_from(t).unwrap(), std::time::UNIX_EPOCH + std::time::Duration::new(5, 7));
//! let d = Duration::try_from(std::time::Duration::from_millis(1500)).unwrap();
//! assert_eq!((d.seconds, d.nanos), (1, 500_000_000));
//! assert_eq!(std::time::Duration::try_from(d).unwrap().as_millis(), 1500);
//! ```

use super::{Duration, Timestamp};
use std::time::{SystemTime, UNIX_EPOCH};

/// A time that does not fit the target type (out of range or malformed fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRangeError;

impl std::fmt::Display for TimeRangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("time value out of range for the target type")
    }
}

impl std::error::Error for TimeRangeError {}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        let (seconds, nanos) = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, d.subsec_nanos() as i32),
            Err(e) => {
                let d = e.duration();
                let (mut s, mut n) = (-(d.as_secs() as i64), -(d.subsec_nanos() as i32));
                if n < 0 {
                    s -= 1;
                    n += 1_000_000_000;
                }
                (s, n)
            }
        };
        Timestamp {
            seconds,
            nanos,
            ..Default::default()
        }
    }
}

impl TryFrom<Timestamp> for SystemTime {
    type Error = TimeRangeError;
    fn try_from(t: Timestamp) -> Result<Self, TimeRangeError> {
        if !(0..1_000_000_000).contains(&t.nanos) {
            return Err(TimeRangeError);
        }
        let base = if t.seconds >= 0 {
            UNIX_EPOCH.checked_add(std::time::Duration::from_secs(t.seconds as u64))
        } else {
            UNIX_EPOCH.checked_sub(std::time::Duration::from_secs(t.seconds.unsigned_abs()))
        };
        base.and_then(|b| b.checked_add(std::time::Duration::from_nanos(t.nanos as u64)))
            .ok_or(TimeRangeError)
    }
}

impl TryFrom<std::time::Duration> for Duration {
    type Error = TimeRangeError;
    fn try_from(d: std::time::Duration) -> Result<Self, TimeRangeError> {
        Ok(Duration {
            seconds: i64::try_from(d.as_secs()).map_err(|_| TimeRangeError)?,
            nanos: d.subsec_nanos() as i32,
            ..Default::default()
        })
    }
}

impl TryFrom<Duration> for std::time::Duration {
    type Error = TimeRangeError;
    /// Fails for negative durations, which `std::time::Duration` cannot hold.
    fn try_from(d: Duration) -> Result<Self, TimeRangeError> {
        if d.seconds < 0 || !(0..1_000_000_000).contains(&d.nanos) {
            return Err(TimeRangeError);
        }
        Ok(std::time::Duration::new(d.seconds as u64, d.nanos as u32))
    }
}
