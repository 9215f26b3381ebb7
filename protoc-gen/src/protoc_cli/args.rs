//! protoc's command line: flags, `--NAME_out` directives and input files, parsed as protoc
//! parses them (`-IPATH` and `-I PATH`, `--flag=VALUE` and `--flag VALUE`).

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;

/// An output directive, `--NAME_out=[PARAMS:]DIR`, with the `--NAME_opt` parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The generator's name (`zpb` for `--zpb_out`).
    pub name: String,
    /// The parameter sent to the generator: the `PARAMS` of `--NAME_out`, then each
    /// `--NAME_opt`, comma-separated.
    pub parameter: String,
    /// Where the generated files go.
    pub dir: PathBuf,
}

/// A parsed command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// Import roots, in order (`.` when none is given, as protoc does).
    pub proto_path: Vec<PathBuf>,
    /// `--descriptor_set_out` / `-o`.
    pub descriptor_set_out: Option<PathBuf>,
    /// `--include_imports`.
    pub include_imports: bool,
    /// `--include_source_info`.
    pub include_source_info: bool,
    /// `--retain_options`.
    pub retain_options: bool,
    /// `--plugin=protoc-gen-NAME=PATH` (or `--plugin=PATH`): `protoc-gen-NAME` to PATH.
    pub plugins: HashMap<String, PathBuf>,
    /// The `--NAME_out` directives, in command-line order.
    pub outputs: Vec<Output>,
    /// The input files as given.
    pub inputs: Vec<PathBuf>,
    /// `--version` was given.
    pub version: bool,
    /// `--help` / `-h` was given.
    pub help: bool,
}

/// Flags that take no value.
const SWITCHES: &[&str] = &[
    "--include_imports",
    "--include_source_info",
    "--retain_options",
    "--version",
    "--help",
    "-h",
];

/// Parses protoc's arguments (without the program name). `Err` is the line protoc prints.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Args, String> {
    let args: Vec<String> = args
        .into_iter()
        .map(|a| {
            a.into_string()
                .map_err(|a| format!("Invalid UTF-8 in argument: {}", a.to_string_lossy()))
        })
        .collect::<Result<_, _>>()?;
    let mut parsed = Args::default();
    let mut opts: HashMap<String, Vec<String>> = HashMap::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if !arg.starts_with('-') || arg == "-" {
            parsed.inputs.push(PathBuf::from(arg));
            continue;
        }
        // `-IPATH`, `-oFILE`; `--name=value`; else the value is the next argument.
        let (name, inline) = if let Some(rest) = arg.strip_prefix("--") {
            match rest.split_once('=') {
                Some((n, v)) => (format!("--{n}"), Some(v.to_string())),
                None => (arg.clone(), None),
            }
        } else if arg.len() > 2 {
            (arg[..2].to_string(), Some(arg[2..].to_string()))
        } else {
            (arg.clone(), None)
        };
        if SWITCHES.contains(&name.as_str()) {
            if inline.is_some() {
                return Err(format!("{name} does not take a value."));
            }
            match name.as_str() {
                "--include_imports" => parsed.include_imports = true,
                "--include_source_info" => parsed.include_source_info = true,
                "--retain_options" => parsed.retain_options = true,
                "--version" => parsed.version = true,
                _ => parsed.help = true,
            }
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => {
                let Some(v) = args.get(i) else {
                    return Err(format!("Missing value for flag: {name}"));
                };
                i += 1;
                v.clone()
            }
        };
        match name.as_str() {
            "-I" | "--proto_path" => {
                if value.is_empty() {
                    return Err(format!("{name} requires a non-empty value."));
                }
                parsed.proto_path.extend(
                    value
                        .split(':')
                        .filter(|p| !p.is_empty())
                        .map(PathBuf::from),
                );
            }
            "-o" | "--descriptor_set_out" => {
                if parsed.descriptor_set_out.is_some() {
                    return Err(format!("{name} may only be passed once."));
                }
                if value.is_empty() {
                    return Err(format!("{name} requires a non-empty value."));
                }
                parsed.descriptor_set_out = Some(PathBuf::from(value));
            }
            "--plugin" => {
                let (plugin, path) = match value.split_once('=') {
                    Some((n, p)) => (n.to_string(), PathBuf::from(p)),
                    None => {
                        let path = PathBuf::from(&value);
                        let base = path
                            .file_name()
                            .map(|b| b.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        (base, path)
                    }
                };
                parsed.plugins.insert(plugin, path);
            }
            flag => {
                if let Some(generator) =
                    flag.strip_prefix("--").and_then(|f| f.strip_suffix("_out"))
                {
                    let (parameter, dir) = match value.split_once(':') {
                        Some((p, d)) => (p.to_string(), d.to_string()),
                        None => (String::new(), value.clone()),
                    };
                    if parsed.outputs.iter().any(|o| o.name == generator) {
                        return Err(format!("{flag} may only be passed once."));
                    }
                    parsed.outputs.push(Output {
                        name: generator.to_string(),
                        parameter,
                        dir: PathBuf::from(dir),
                    });
                } else if let Some(generator) =
                    flag.strip_prefix("--").and_then(|f| f.strip_suffix("_opt"))
                {
                    opts.entry(generator.to_string()).or_default().push(value);
                } else {
                    return Err(format!("Unknown flag: {flag}"));
                }
            }
        }
    }
    for output in &mut parsed.outputs {
        if let Some(extra) = opts.get(&output.name) {
            for opt in extra {
                if !output.parameter.is_empty() {
                    output.parameter.push(',');
                }
                output.parameter.push_str(opt);
            }
        }
    }
    if parsed.proto_path.is_empty() {
        parsed.proto_path.push(PathBuf::from("."));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &[&str]) -> Result<Args, String> {
        parse(line.iter().map(OsString::from))
    }

    #[test]
    fn proto_path_forms() {
        let a = args(&[
            "-Ia",
            "-I",
            "b",
            "--proto_path=c:d",
            "--proto_path",
            "e",
            "x.proto",
        ])
        .unwrap();
        let want: Vec<PathBuf> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(a.proto_path, want);
        assert_eq!(a.inputs, vec![PathBuf::from("x.proto")]);
        assert_eq!(
            args(&["x.proto"]).unwrap().proto_path,
            vec![PathBuf::from(".")]
        );
    }

    #[test]
    fn outputs_and_options() {
        let a = args(&[
            "--foo_out=a=1,b:out",
            "--foo_opt=c",
            "--foo_opt",
            "d=2",
            "--bar_out=dir",
            "--plugin=protoc-gen-foo=/bin/foo",
            "--plugin=/usr/bin/protoc-gen-bar",
            "-odesc.bin",
            "--include_imports",
        ])
        .unwrap();
        assert_eq!(a.outputs[0].parameter, "a=1,b,c,d=2");
        assert_eq!(a.outputs[0].dir, PathBuf::from("out"));
        assert_eq!(a.outputs[1].parameter, "");
        assert_eq!(a.plugins["protoc-gen-foo"], PathBuf::from("/bin/foo"));
        assert_eq!(
            a.plugins["protoc-gen-bar"],
            PathBuf::from("/usr/bin/protoc-gen-bar")
        );
        assert_eq!(a.descriptor_set_out, Some(PathBuf::from("desc.bin")));
        assert!(a.include_imports && !a.include_source_info);
    }

    #[test]
    fn bad_flags_are_errors() {
        assert_eq!(
            args(&["--bogus"]).unwrap_err(),
            "Missing value for flag: --bogus"
        );
        assert_eq!(args(&["--bogus=1"]).unwrap_err(), "Unknown flag: --bogus");
        assert!(args(&["--include_imports=1"]).is_err());
        assert!(args(&["-o", "a", "-o", "b"]).is_err());
    }
}
