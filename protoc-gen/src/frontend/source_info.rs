//! `SourceCodeInfo` as protoc writes it (`--include_source_info`): the parser's locations in
//! the order it recorded them, each option's location moved to the field it set (the
//! locations inside it dropped), spans as `[line, column, end column]` or
//! `[line, column, end line, end column]`, comments attached; the locations of options left
//! out of the descriptor (source retention) left out too.

use zpb::descriptor::source_code_info::Location;
use zpb::descriptor::SourceCodeInfo;

use super::ast::{LocComments, UNINTERPRETED_OPTION};
use super::parser::ParsedFile;
use super::path::Path;

/// The source code info of a parsed file whose options have been interpreted; its source
/// locations are moved into it (`parsed.source` is left empty).
pub fn source_code_info(parsed: &mut ParsedFile) -> SourceCodeInfo {
    // Collected in a vector, then handed over whole: cheaper than a push per location.
    let mut locations = Vec::with_capacity(parsed.source.len());
    // Options left out of the descriptor (usually none), in a list to scan per location.
    let stripped: Vec<&Path> = parsed.stripped_options.iter().collect();
    // The path of an option's location just moved: locations under it follow and go.
    let mut dropping: Option<Path> = None;
    for loc in std::mem::take(&mut parsed.source) {
        if let Some(prefix) = &dropping {
            if loc.path.starts_with(prefix) {
                continue;
            }
            dropping = None;
        }
        // Only an `uninterpreted_option` location (`[..., 999, i]`) can have moved.
        let option = loc.path.len() >= 2 && loc.path[loc.path.len() - 2] == UNINTERPRETED_OPTION;
        let moved = if option {
            parsed.option_paths.get(&loc.path)
        } else {
            None
        };
        let path = match moved {
            Some(dest) => {
                let dest = dest.clone();
                dropping = Some(loc.path);
                dest
            }
            None => loc.path,
        };
        // Options left out of the descriptor lose their locations too.
        if stripped.iter().any(|prefix| path.starts_with(prefix)) {
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
            path: path.into_vec(),
            span,
            ..Default::default()
        };
        if let Some(comments) = loc.comments {
            let LocComments {
                leading,
                trailing,
                detached,
            } = *comments;
            if !leading.is_empty() {
                out.leading_comments.set(leading);
            }
            if !trailing.is_empty() {
                out.trailing_comments.set(trailing);
            }
            for d in detached {
                out.leading_detached_comments.push(d);
            }
        }
        locations.push(out);
    }
    SourceCodeInfo {
        location: locations.into(),
        ..Default::default()
    }
}
