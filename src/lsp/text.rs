//! Byte offsets ↔ LSP positions, and `file:` URIs ↔ paths.
//!
//! LSP positions count columns in UTF-16 code units unless the client
//! accepts UTF-8 (negotiated in `initialize`); sparkplan's spans are byte
//! offsets. The conversion is a line-start table over the text the spans
//! point into.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 bytes.
    Utf8,
    /// UTF-16 code units (the LSP default).
    Utf16,
}

/// Where each line of a text starts.
#[derive(Debug, Clone)]
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
    enc: Encoding,
}

impl<'t> Lines<'t> {
    /// The line table of `text`.
    pub fn new(text: &'t str, enc: Encoding) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts, enc }
    }

    /// The position of byte `offset` (clamped to the text, and back to a
    /// character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let before = self.text.get(start..offset).unwrap_or_default();
        let col = match self.enc {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of `pos` (a column past the line's end is its end; a
    /// line past the text's end is the text's end).
    pub fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text.get(start..end).unwrap_or_default();
        let line = line.strip_suffix('\n').unwrap_or(line);
        let want = pos.character as usize;
        let mut units = 0;
        for (i, ch) in line.char_indices() {
            if units >= want {
                return start + i;
            }
            units += match self.enc {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
            };
        }
        start + line.len()
    }

    /// The text of the line `offset` lies on, up to `offset`.
    pub fn line_prefix(&self, offset: usize) -> &'t str {
        let offset = offset.min(self.text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        self.text.get(start..offset).unwrap_or_default()
    }
}

/// What percent-encoding leaves alone in a path: RFC 3986 unreserved
/// characters and `/`.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The path of a `file:` URI (`None` for another scheme, or a URI that is
/// not an absolute local path).
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///p` (empty authority) or `file://localhost/p`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    // `file:///C:/x` on Windows.
    let decoded = if cfg!(windows) {
        decoded.trim_start_matches('/').to_owned()
    } else {
        decoded.into_owned()
    };
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let s = path.to_string_lossy();
    let s = if cfg!(windows) {
        format!("/{}", s.replace('\\', "/"))
    } else {
        s.into_owned()
    };
    let encoded = percent_encoding::utf8_percent_encode(&s, PATH).to_string();
    format!("file://{encoded}").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_or_bytes() {
        let text = "a: 1\nb: \"é😀x\"\n";
        let l = Lines::new(text, Encoding::Utf16);
        let x = text.find('x').unwrap_or_default();
        // `b: "` is 4 units, é 1, 😀 2.
        assert_eq!(l.position(x), Position::new(1, 7));
        assert_eq!(l.offset(Position::new(1, 7)), x);
        let l8 = Lines::new(text, Encoding::Utf8);
        assert_eq!(l8.position(x), Position::new(1, 10));
        assert_eq!(l8.offset(Position::new(1, 10)), x);
        // Past the end of a line, and past the last line.
        assert_eq!(l.offset(Position::new(0, 99)), 4);
        assert_eq!(l.offset(Position::new(9, 0)), text.len());
        assert_eq!(l.line_prefix(x), "b: \"é😀");
    }

    #[test]
    fn file_uris_round_trip() {
        let p = PathBuf::from("/tmp/my ads/é.yaml");
        let uri = path_to_uri(&p).unwrap_or_else(|| panic!("no uri"));
        assert_eq!(uri.as_str(), "file:///tmp/my%20ads/%C3%A9.yaml");
        assert_eq!(uri_to_path(&uri), Some(p));
        let other: Uri = "untitled:Untitled-1".parse().unwrap_or_else(|_| panic!());
        assert_eq!(uri_to_path(&other), None);
    }
}
