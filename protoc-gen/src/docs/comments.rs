//! The comments of a file by `SourceCodeInfo` path, turned into the IR's [`Doc`]s.

use crate::ir::Doc;
use std::collections::HashMap;
use zpb::descriptor::SourceCodeInfo;

/// Doc comments by `SourceCodeInfo` path: the leading comment, then the trailing one as a
/// paragraph of its own.
pub struct Comments(HashMap<Vec<i32>, String>);

impl Comments {
    /// The comments recorded in `info` (none without one).
    pub fn new(info: Option<&SourceCodeInfo>) -> Comments {
        let mut map = HashMap::new();
        for l in info.into_iter().flat_map(|i| i.location.iter()) {
            let parts: Vec<&str> = [l.leading_comments(), l.trailing_comments()]
                .into_iter()
                .filter(|c| !c.trim().is_empty())
                .map(|c| c.trim_end_matches('\n'))
                .collect();
            if !parts.is_empty() {
                map.insert(l.path.to_vec(), parts.join("\n\n") + "\n");
            }
        }
        Comments(map)
    }

    /// The doc of the element at `path`: its comment, else `fallback`.
    pub fn doc(&self, path: &[i32], fallback: String) -> Doc {
        Doc {
            comment: self.0.get(path).cloned(),
            fallback,
        }
    }
}
