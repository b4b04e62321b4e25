//! [`DateTime`]: the type of every `date-time` field in generated models.
//!
//! ISC's date-times are mostly RFC 3339, but not always (missing seconds, missing
//! offset, `+0000` offsets, the odd out-of-range value). Decoding a whole list must not
//! fail because of one such value, so a `DateTime` keeps the raw string exactly as
//! received and serializes it back unchanged; [`DateTime::parse`] turns it into a
//! [`ParsedDateTime`] on demand with a small tolerant parser (no date crate dependency).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date-time as received from the API, kept verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct DateTime(String);

impl DateTime {
    /// Wraps a raw date-time string (not validated: see [`parse`](Self::parse)).
    pub fn new(raw: impl Into<String>) -> Self {
        DateTime(raw.into())
    }

    /// The raw string as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses the raw string; see [`ParsedDateTime::parse`] for what is accepted.
    pub fn parse(&self) -> Result<ParsedDateTime, DateTimeError> {
        ParsedDateTime::parse(&self.0)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for DateTime {
    fn from(raw: String) -> Self {
        DateTime(raw)
    }
}

impl From<&str> for DateTime {
    fn from(raw: &str) -> Self {
        DateTime(raw.to_owned())
    }
}

impl From<ParsedDateTime> for DateTime {
    fn from(parsed: ParsedDateTime) -> Self {
        DateTime(parsed.to_string())
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(DateTime)
    }
}

/// A validated date-time with its UTC offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParsedDateTime {
    /// Year, e.g. 2024.
    pub year: i32,
    /// Month 1–12.
    pub month: u8,
    /// Day of month 1–31 (checked against the month's length).
    pub day: u8,
    /// Hour 0–23.
    pub hour: u8,
    /// Minute 0–59.
    pub minute: u8,
    /// Second 0–60 (60 only for a leap second).
    pub second: u8,
    /// Fractional second in nanoseconds (digits past the ninth are dropped).
    pub nanosecond: u32,
    /// Offset from UTC in minutes (`+02:00` is 120); 0 when the input had none.
    pub offset_minutes: i16,
}

impl ParsedDateTime {
    /// Parses an RFC 3339-like date-time, tolerantly:
    ///
    /// * `T`, `t` or a space between date and time; a date alone means midnight;
    /// * seconds optional (`2024-01-02T10:20`), fraction with `.` or `,`, any length;
    /// * offset `Z`, `z`, `+HH:MM`, `+HHMM`, `+HH`, or none (UTC assumed).
    ///
    /// Out-of-range fields (`T42:14:00`, February 30th, offset `+25:00`) are errors.
    pub fn parse(input: &str) -> Result<ParsedDateTime, DateTimeError> {
        Parser {
            input,
            bytes: input.as_bytes(),
            pos: 0,
        }
        .parse()
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    pub fn unix_timestamp(&self) -> i64 {
        let days = days_from_civil(self.year, u32::from(self.month), u32::from(self.day));
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60
    }

    /// Nanoseconds since the Unix epoch.
    pub fn unix_timestamp_nanos(&self) -> i128 {
        i128::from(self.unix_timestamp()) * 1_000_000_000 + i128::from(self.nanosecond)
    }
}

/// RFC 3339 with the offset as parsed, e.g. `2024-01-02T10:20:00.5+02:00`.
impl fmt::Display for ParsedDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        if self.nanosecond != 0 {
            let frac = format!("{:09}", self.nanosecond);
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        if self.offset_minutes == 0 {
            f.write_str("Z")
        } else {
            let sign = if self.offset_minutes < 0 { '-' } else { '+' };
            let abs = self.offset_minutes.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", abs / 60, abs % 60)
        }
    }
}

/// Why a date-time string could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid date-time {input:?}: {reason}")]
pub struct DateTimeError {
    /// The input (date-times are not secret).
    pub input: String,
    /// What is wrong with it.
    pub reason: String,
}

struct Parser<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn parse(mut self) -> Result<ParsedDateTime, DateTimeError> {
        let year = self.digits(4, "year")?;
        self.expect(b'-', "`-` after the year")?;
        let month = self.digits(2, "month")?;
        self.expect(b'-', "`-` after the month")?;
        let day = self.digits(2, "day")?;
        let year = i32::try_from(year).map_err(|_| self.error("year out of range".into()))?;
        if !(1..=12).contains(&month) {
            return Err(self.error(format!("month {month} is out of range")));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(self.error(format!(
                "day {day} is out of range for {year:04}-{month:02}"
            )));
        }
        let mut parsed = ParsedDateTime {
            year,
            month: narrow(month),
            day: narrow(day),
            hour: 0,
            minute: 0,
            second: 0,
            nanosecond: 0,
            offset_minutes: 0,
        };
        match self.peek() {
            None => return Ok(parsed),
            Some(b'T' | b't' | b' ') => self.pos += 1,
            Some(_) => return Err(self.error("expected `T` between date and time".into())),
        }
        let hour = self.digits(2, "hour")?;
        self.expect(b':', "`:` after the hour")?;
        let minute = self.digits(2, "minute")?;
        let mut second = 0;
        if self.peek() == Some(b':') {
            self.pos += 1;
            second = self.digits(2, "second")?;
            if matches!(self.peek(), Some(b'.' | b',')) {
                self.pos += 1;
                parsed.nanosecond = self.fraction()?;
            }
        }
        if hour > 23 {
            return Err(self.error(format!("hour {hour} is out of range")));
        }
        if minute > 59 {
            return Err(self.error(format!("minute {minute} is out of range")));
        }
        if second > 60 {
            return Err(self.error(format!("second {second} is out of range")));
        }
        parsed.hour = narrow(hour);
        parsed.minute = narrow(minute);
        parsed.second = narrow(second);
        parsed.offset_minutes = self.offset()?;
        if self.pos != self.bytes.len() {
            return Err(self.error(format!("unexpected trailing text at position {}", self.pos)));
        }
        Ok(parsed)
    }

    fn offset(&mut self) -> Result<i16, DateTimeError> {
        let sign = match self.peek() {
            None => return Ok(0),
            Some(b'Z' | b'z') => {
                self.pos += 1;
                return Ok(0);
            }
            Some(b'+') => 1,
            Some(b'-') => -1,
            Some(_) => return Err(self.error("expected `Z` or a `+HH:MM` offset".into())),
        };
        self.pos += 1;
        let hours = self.digits(2, "offset hours")?;
        let mut minutes = 0;
        if self.peek() == Some(b':') {
            self.pos += 1;
            minutes = self.digits(2, "offset minutes")?;
        } else if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            minutes = self.digits(2, "offset minutes")?;
        }
        if hours > 23 || minutes > 59 {
            return Err(self.error(format!("offset {hours:02}:{minutes:02} is out of range")));
        }
        let total = i16::try_from(hours * 60 + minutes).unwrap_or(i16::MAX);
        Ok(sign * total)
    }

    /// One or more digits; the first nine give nanoseconds, the rest are dropped.
    fn fraction(&mut self) -> Result<u32, DateTimeError> {
        let start = self.pos;
        let mut nanos = 0u32;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            if self.pos - start < 9 {
                nanos = nanos * 10 + u32::from(b - b'0');
            }
            self.pos += 1;
        }
        let len = self.pos - start;
        if len == 0 {
            return Err(self.error("expected digits after the decimal point".into()));
        }
        for _ in len..9 {
            nanos *= 10;
        }
        Ok(nanos)
    }

    fn digits(&mut self, count: usize, what: &str) -> Result<u32, DateTimeError> {
        let mut value = 0u32;
        for _ in 0..count {
            match self.peek() {
                Some(b) if b.is_ascii_digit() => {
                    value = value * 10 + u32::from(b - b'0');
                    self.pos += 1;
                }
                _ => return Err(self.error(format!("expected {count} digits for the {what}"))),
            }
        }
        Ok(value)
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), DateTimeError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected {what}")))
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error(&self, reason: String) -> DateTimeError {
        DateTimeError {
            input: self.input.to_owned(),
            reason,
        }
    }
}

/// Values were range-checked by the caller, so they fit.
fn narrow(value: u32) -> u8 {
    u8::try_from(value).unwrap_or(u8::MAX)
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian), after
/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
