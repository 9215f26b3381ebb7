//! `google.protobuf.Timestamp` ↔ RFC 3339.
//!
//! Output is always UTC (`Z`) with 0, 3, 6 or 9 fractional digits (`1970-01-01T00:00:00Z`,
//! `...00.500Z`, `...00.000001Z`), as protobuf prints. Input takes 1 to 9 fractional
//! digits and a `Z` or a `±HH:MM` offset (uppercase `T` and `Z` only, as protobuf's
//! conformance tests require).

use super::{write_nanos, Cursor, WellKnownError};

/// Seconds of 0001-01-01T00:00:00Z since the Unix epoch.
pub const MIN_SECONDS: i64 = -62_135_596_800;
/// Seconds of 9999-12-31T23:59:59Z since the Unix epoch.
pub const MAX_SECONDS: i64 = 253_402_300_799;

const SECONDS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Appends the RFC 3339 form of `(seconds, nanos)` to `out`.
pub fn format(seconds: i64, nanos: i32, out: &mut String) -> Result<(), WellKnownError> {
    use std::fmt::Write as _;
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(WellKnownError::TimestampOutOfRange);
    }
    let nanos = u32::try_from(nanos)
        .ok()
        .filter(|&n| n <= 999_999_999)
        .ok_or(WellKnownError::InvalidNanos)?;
    let days = seconds.div_euclid(SECONDS_PER_DAY);
    let secs_of_day = seconds.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        secs_of_day / 3600,
        secs_of_day / 60 % 60,
        secs_of_day % 60
    );
    write_nanos(out, nanos);
    out.push('Z');
    Ok(())
}

/// Parses an RFC 3339 timestamp into `(seconds, nanos)` since the Unix epoch.
pub fn parse(text: &str) -> Result<(i64, i32), WellKnownError> {
    let mut c = Cursor::new(text, "timestamp");
    let year = c.digits(4)?;
    c.expect(b'-')?;
    let month_at = c.pos;
    let month = c.digits(2)?;
    c.expect(b'-')?;
    let day_at = c.pos;
    let day = c.digits(2)?;
    c.expect(b'T')?;
    let time_at = c.pos;
    let (hour, minute) = (c.digits(2)?, {
        c.expect(b':')?;
        c.digits(2)?
    });
    c.expect(b':')?;
    let second = c.digits(2)?;
    let nanos = if c.eat(b'.') { c.fraction()? } else { 0 };
    let offset_at = c.pos;
    let offset_minutes: i64 = if c.eat(b'Z') {
        0
    } else {
        let sign = match c.peek() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err(c.error()),
        };
        c.pos += 1;
        let h = c.digits(2)?;
        c.expect(b':')?;
        let m = c.digits(2)?;
        if h > 23 || m > 59 {
            return Err(WellKnownError::Syntax {
                what: "timestamp",
                offset: offset_at,
            });
        }
        sign * i64::from(h * 60 + m)
    };
    c.end()?;
    let at = |offset| WellKnownError::Syntax {
        what: "timestamp",
        offset,
    };
    let year = i64::from(year);
    if !(1..=12).contains(&month) {
        return Err(at(month_at));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(at(day_at));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(at(time_at));
    }
    let seconds = days_from_civil(year, month, day) * SECONDS_PER_DAY
        + i64::from(hour * 3600 + minute * 60 + second)
        - offset_minutes * 60;
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(WellKnownError::TimestampOutOfRange);
    }
    Ok((seconds, nanos as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in (-719_162..=2_932_896).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1, 1, 1) * SECONDS_PER_DAY, MIN_SECONDS);
    }
}
