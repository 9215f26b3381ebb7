//! `SourceCodeInfo` as protoc writes it (`--include_source_info`): the parser's locations in
//! the order it recorded them, each option's location moved to the field it set (the
//! locations inside it dropped), spans as `[line, column, end column]` or
//! `[line, column, end line, end column]`, comments attached; the locations of options left
//! out of the descriptor (source retention) left out too.

use zpb::descriptor::source_code_info::Location;
use zpb::descriptor::SourceCodeInfo;

use super::parser::ParsedFile;

/// The source code info of a parsed file whose options have been interpreted; its source
/// locations are moved into it (`parsed.source` is left empty).
pub fn source_code_info(parsed: &mut ParsedFile) -> SourceCodeInfo {
    let mut info = SourceCodeInfo::default();
    info.location.reserve(parsed.source.len());
    // The path of an option's location just moved: locations under it follow and go.
    let mut dropping: Option<Vec<i32>> = None;
    for loc in std::mem::take(&mut parsed.source) {
        if let Some(prefix) = &dropping {
            if loc.path.starts_with(prefix) {
                continue;
            }
            dropping = None;
        }
        let path = match parsed.option_paths.get(&loc.path) {
            Some(dest) => {
                let dest = dest.clone();
                dropping = Some(loc.path);
                dest
            }
            None => loc.path,
        };
        // Options left out of the descriptor lose their locations too.
        if parsed
            .stripped_options
            .iter()
            .any(|stripped| path.starts_with(stripped))
        {
            continue;
        }
        let (s, e) = (loc.start, loc.end);
        let span = if s.line == e.line {
            vec![s.line as i32, s.column as i32, e.column as i32]
        } else {
            vec![
                s.line as i32,
                s.column as i32,
                e.line as i32,
                e.column as i32,
            ]
        };
        let mut out = Location {
            path,
            span,
            ..Default::default()
        };
        if !loc.leading.is_empty() {
            out.leading_comments.set(loc.leading);
        }
        if !loc.trailing.is_empty() {
            out.trailing_comments.set(loc.trailing);
        }
        for d in loc.detached {
            out.leading_detached_comments.push(d);
        }
        info.location.push(out);
    }
    info
}
