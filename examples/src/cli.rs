//! Command-line parsing with std only: `ROLE --name value --name=value --flag`, and the
//! `summary:` line every role prints last (what the tests read from child processes).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::str::FromStr;
use std::time::Duration;

/// A command line the example cannot run with: printed with the usage, exit code 2.
///
/// ```
/// let e = zpb_examples::cli::UsageError("unknown option --x".into());
/// assert_eq!(e.to_string(), "unknown option --x");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A [`UsageError`] as the examples' error type.
pub fn usage(text: &str) -> crate::Error {
    Box::new(UsageError(text.to_string()))
}

/// Parsed arguments: positionals, `--name value` options and `--flag`s. Every option must
/// be asked for by the role (see [`finish`](Args::finish)), so typos are reported.
///
/// ```
/// use zpb_examples::cli::Args;
/// let args = Args::parse(["server", "--count", "3", "--quiet"].map(String::from), &["quiet"]).unwrap();
/// assert_eq!(args.positional(0), Some("server"));
/// assert_eq!(args.value("count", 0u64).unwrap(), 3);
/// assert!(args.flag("quiet"));
/// args.finish().unwrap();
/// ```
#[derive(Debug)]
pub struct Args {
    positional: Vec<String>,
    options: BTreeMap<String, String>,
    flags: BTreeSet<String>,
    used: RefCell<BTreeSet<String>>,
}

impl Args {
    /// Parses `args` (without the program name); names in `flags` take no value.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        flags: &[&str],
    ) -> Result<Args, UsageError> {
        let mut parsed = Args {
            positional: Vec::new(),
            options: BTreeMap::new(),
            flags: BTreeSet::new(),
            used: RefCell::new(BTreeSet::new()),
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let Some(name) = arg.strip_prefix("--") else {
                parsed.positional.push(arg);
                continue;
            };
            if let Some((name, value)) = name.split_once('=') {
                parsed.options.insert(name.to_string(), value.to_string());
            } else if flags.contains(&name) {
                parsed.flags.insert(name.to_string());
            } else {
                let value = args
                    .next()
                    .ok_or_else(|| UsageError(format!("--{name} needs a value")))?;
                parsed.options.insert(name.to_string(), value);
            }
        }
        Ok(parsed)
    }

    /// The `i`-th positional argument.
    pub fn positional(&self, i: usize) -> Option<&str> {
        self.positional.get(i).map(String::as_str)
    }

    /// The option's text, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.used.borrow_mut().insert(name.to_string());
        self.options.get(name).map(String::as_str)
    }

    /// The option parsed as `T`, or `default`.
    pub fn value<T: FromStr>(&self, name: &str, default: T) -> Result<T, UsageError>
    where
        T::Err: Display,
    {
        Ok(self.optional(name)?.unwrap_or(default))
    }

    /// The option parsed as `T`, if given.
    pub fn optional<T: FromStr>(&self, name: &str) -> Result<Option<T>, UsageError>
    where
        T::Err: Display,
    {
        self.get(name)
            .map(|text| {
                text.parse()
                    .map_err(|e| UsageError(format!("--{name} {text:?}: {e}")))
            })
            .transpose()
    }

    /// The option as a string, or `default`.
    pub fn text(&self, name: &str, default: &str) -> String {
        self.get(name).unwrap_or(default).to_string()
    }

    /// The option as milliseconds, or `default`.
    pub fn millis(&self, name: &str, default: Duration) -> Result<Duration, UsageError> {
        Ok(self.optional_millis(name)?.unwrap_or(default))
    }

    /// The option as milliseconds, if given.
    pub fn optional_millis(&self, name: &str) -> Result<Option<Duration>, UsageError> {
        Ok(self.optional(name)?.map(Duration::from_millis))
    }

    /// Whether `--name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.used.borrow_mut().insert(name.to_string());
        self.flags.contains(name)
    }

    /// Fails on options or flags the role never asked about.
    pub fn finish(&self) -> Result<(), UsageError> {
        let used = self.used.borrow();
        let unknown: Vec<&String> = self
            .options
            .keys()
            .chain(&self.flags)
            .filter(|name| !used.contains(*name))
            .collect();
        match unknown.first() {
            Some(name) => Err(UsageError(format!("unknown option --{name}"))),
            None => Ok(()),
        }
    }
}

/// The last line of a role's output: `summary: key=value ...` (values without spaces).
///
/// ```
/// use zpb_examples::cli::summary;
/// assert_eq!(summary(&[("sent", &3), ("framing", &"raw")]), "summary: sent=3 framing=raw");
/// ```
pub fn summary(pairs: &[(&str, &dyn Display)]) -> String {
    let mut line = String::from("summary:");
    for (key, value) in pairs {
        line.push_str(&format!(" {key}={value}"));
    }
    line
}

/// Parses a [`summary`] line back into its pairs.
///
/// ```
/// let pairs = zpb_examples::cli::parse_summary("summary: sent=3 framing=raw").unwrap();
/// assert_eq!(pairs["sent"], "3");
/// ```
pub fn parse_summary(line: &str) -> Option<BTreeMap<String, String>> {
    let rest = line.trim().strip_prefix("summary:")?;
    Some(
        rest.split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// A per-name count as `name:count,name:count` (for summaries).
pub fn counts(map: &BTreeMap<String, u64>) -> String {
    let parts: Vec<String> = map.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(",")
    }
}
