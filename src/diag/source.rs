//! The files of a run and the byte-offset → line/column mapping used by renderers.

use serde::Serialize;

/// The id of a file: given by a [`FileIds`] table, so a path keeps its id
/// for as long as the table lives (a language server re-reads one file and
/// keeps every other file's spans), whatever files come and go around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct FileId(pub u32);

/// Stable file ids: the id of a path is fixed the first time the path is
/// seen, and never reused for another path. A fresh table given paths in
/// order numbers them 0, 1, 2…, so a one-shot run (`check`) has the ids it
/// always had.
#[derive(Debug, Clone, Default)]
pub struct FileIds {
    ids: std::collections::HashMap<String, FileId>,
    next: u32,
}

impl FileIds {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `path`, given now if the path is new.
    pub fn intern(&mut self, path: &str) -> FileId {
        if let Some(&id) = self.ids.get(path) {
            return id;
        }
        let id = FileId(self.next);
        self.next = self.next.saturating_add(1);
        self.ids.insert(path.to_owned(), id);
        id
    }

    /// The id of `path`, if it has one.
    pub fn get(&self, path: &str) -> Option<FileId> {
        self.ids.get(path).copied()
    }
}

/// A byte range in one file. Offsets are into the file's bytes as read from
/// disk (a BOM and CR characters included), so they are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    /// The file.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span of `file` from `start` to `end`.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { file, start, end }
    }
    /// The byte range as `usize`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One file of the run: its path as shown to users and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or found, with `/` separators.
    pub path: String,
    /// The text (lossily decoded if the file was not UTF-8).
    pub text: String,
    /// Built on first use: only files that diagnostics point into ever need
    /// line and column, and building the index for every file of a large
    /// workspace was a sequential pass over all of its text.
    index: std::sync::OnceLock<LineIndex>,
}

/// Where lines start, and how to count columns quickly.
#[derive(Debug, Clone)]
struct LineIndex {
    line_starts: Vec<usize>,
    /// For non-ASCII text: every [`CHECKPOINT_BYTES`] or so, a (byte offset,
    /// characters before it other than U+FEFF), so a column costs at most
    /// one block of counting, however long the line (a one-line file with
    /// 100,000 diagnostics must not take minutes). Empty for ASCII text,
    /// where columns are byte differences.
    checkpoints: Vec<(usize, usize)>,
}

/// The distance between two column checkpoints, in bytes.
const CHECKPOINT_BYTES: usize = 1024;

/// Characters in `s`, a BOM (U+FEFF) not counted: it is not a column the
/// user can see.
fn visible_chars(s: &str) -> usize {
    s.chars().filter(|&c| c != '\u{feff}').count()
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut checkpoints = Vec::new();
        if !text.is_ascii() {
            let (mut pos, mut chars) = (0, 0);
            checkpoints.push((0, 0));
            while pos + CHECKPOINT_BYTES < text.len() {
                let mut next = pos + CHECKPOINT_BYTES;
                while !text.is_char_boundary(next) {
                    next += 1;
                }
                chars += visible_chars(&text[pos..next]);
                pos = next;
                checkpoints.push((pos, chars));
            }
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }
}

impl SourceFile {
    /// A file with its text; its line index is built on first use, once.
    pub fn new(path: String, text: String) -> Self {
        SourceFile {
            path,
            text,
            index: std::sync::OnceLock::new(),
        }
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Visible characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let checkpoints = &self.index().checkpoints;
        if checkpoints.is_empty() {
            return offset;
        }
        let i = checkpoints
            .partition_point(|&(pos, _)| pos <= offset)
            .saturating_sub(1);
        let (pos, chars) = checkpoints.get(i).copied().unwrap_or((0, 0));
        chars + visible_chars(&self.text[pos..offset])
    }

    /// The 1-based line and column of a byte offset. Offsets inside a
    /// multi-byte character or past the end are clamped.
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line_starts = &self.index().line_starts;
        let line_idx = line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let line_start = line_starts[line_idx];
        let mut end = offset;
        while end > line_start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        // A BOM is not a column the user can see.
        let column = self.chars_before(end) - self.chars_before(line_start) + 1;
        Location {
            line: line_idx + 1,
            column,
        }
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let line_starts = &self.index().line_starts;
        let Some(&start) = line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = line_starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.index().line_starts.len()
    }
}

/// All files read in one run, by id. Ids given by a long-lived [`FileIds`]
/// table may leave gaps (files no longer read).
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<Option<SourceFile>>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, path: String, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(Some(SourceFile::new(path, text)));
        id
    }

    /// Adds a file under the id a [`FileIds`] table gave its path
    /// (replacing a file with that id).
    pub fn insert(&mut self, id: FileId, path: String, text: String) {
        let i = id.0 as usize;
        if self.files.len() <= i {
            self.files.resize_with(i + 1, || None);
        }
        if let Some(slot) = self.files.get_mut(i) {
            *slot = Some(SourceFile::new(path, text));
        }
    }

    /// The file with `id`.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize).and_then(Option::as_ref)
    }

    /// The path of file `id` (empty if unknown).
    pub fn path(&self, id: FileId) -> &str {
        self.get(id).map_or("", |f| f.path.as_str())
    }

    /// The location of the start of `span`.
    pub fn location(&self, span: Span) -> Location {
        self.get(span.file)
            .map_or(Location { line: 1, column: 1 }, |f| {
                f.location(span.start as usize)
            })
    }

    /// The location of the end of `span` (1-based column of the last character + 1).
    pub fn end_location(&self, span: Span) -> Location {
        self.get(span.file)
            .map_or(Location { line: 1, column: 1 }, |f| {
                f.location(span.end as usize)
            })
    }

    /// All files, in id order.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((FileId(u32::try_from(i).unwrap_or(u32::MAX)), f.as_ref()?)))
    }

    /// One past the highest id: the number of files when ids have no gaps
    /// (always so in a one-shot run), and the first id free for another map
    /// appended after this one.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.iter().all(Option::is_none)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_bom_locations() {
        let f = SourceFile::new("a.yaml".into(), "\u{feff}a: 1\r\nbb: 2\r\n".into());
        // "bb" starts after BOM(3) + "a: 1\r\n"(6) = 9
        assert_eq!(f.location(9), Location { line: 2, column: 1 });
        assert_eq!(f.location(3), Location { line: 1, column: 1 });
        assert_eq!(f.line_text(2), "bb: 2");
    }

    #[test]
    fn file_ids_are_stable_by_path() {
        let mut ids = FileIds::new();
        assert_eq!(ids.intern("a.yaml"), FileId(0));
        assert_eq!(ids.intern("b.yaml"), FileId(1));
        // A new file sorted before the others does not move them.
        assert_eq!(ids.intern("0.yaml"), FileId(2));
        assert_eq!(ids.intern("a.yaml"), FileId(0));
        assert_eq!(ids.get("b.yaml"), Some(FileId(1)));
        assert_eq!(ids.get("c.yaml"), None);
        let mut map = SourceMap::new();
        map.insert(FileId(2), "0.yaml".into(), "x".into());
        assert_eq!(map.path(FileId(2)), "0.yaml");
        assert!(map.get(FileId(0)).is_none());
        assert_eq!(map.files().count(), 1);
        assert!(!map.is_empty());
    }

    #[test]
    fn multibyte_columns_count_chars() {
        let f = SourceFile::new("a".into(), "é: x".into());
        assert_eq!(f.location(4), Location { line: 1, column: 4 });
    }
}
