//! Reading spec files: each file is read and parsed once per load, and every file a
//! reference points at is checked to stay inside the specs folder.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use super::error::LoadError;
use super::locate::LineIndex;
use super::node::Node;
use super::prefetch::{self, read_and_parse, Parsed};
use super::words::Vocabulary;
use crate::location::{Diagnostic, Location};

pub(crate) type FileId = usize;

/// One parsed spec file.
pub(crate) struct SourceFile {
    /// Relative to the specs folder (what people see in messages).
    pub(crate) rel: PathBuf,
    /// Canonical absolute path.
    pub(crate) abs: PathBuf,
    pub(crate) text: String,
    pub(crate) root: Node,
    /// Built on the first lookup of a line.
    lines: OnceCell<LineIndex>,
}

impl SourceFile {
    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The line of `ptr` (or of its nearest enclosing node that could be found), and
    /// whether `ptr` itself was found.
    pub(crate) fn locate(&self, ptr: &str) -> (usize, bool) {
        self.lines().nearest(&self.text, ptr)
    }

    /// The line of `ptr`, if it can be found.
    pub(crate) fn line_of(&self, ptr: &str) -> Option<usize> {
        self.lines().line(&self.text, ptr)
    }
}

/// The per-load file cache.
pub(crate) struct Files {
    /// Canonical specs folder; no file outside it is ever read.
    root_dir: PathBuf,
    files: Vec<Rc<SourceFile>>,
    by_path: HashMap<PathBuf, FileId>,
    /// Lexically normalized path -> file, so each distinct path is canonicalized once.
    resolved: HashMap<PathBuf, FileId>,
    /// Files parsed ahead of the walk (canonical path -> result), see [`Files::prefetch`].
    prefetched: HashMap<PathBuf, Parsed>,
    canon: Canon,
    /// The words of every file read or prefetched, built on first use.
    vocabulary: OnceCell<Vocabulary>,
}

/// Canonical paths, computed cheaply: `realpath` once per directory (cached), then one
/// `lstat` per file (a symlinked file is canonicalized on its own).
#[derive(Default)]
pub(crate) struct Canon {
    dirs: HashMap<PathBuf, Result<PathBuf, ErrorKind>>,
    files: HashMap<PathBuf, PathBuf>,
}

impl Canon {
    /// The canonical path of `path` (already lexically normalized).
    pub(crate) fn file(&mut self, path: &Path) -> std::io::Result<PathBuf> {
        if let Some(known) = self.files.get(path) {
            return Ok(known.clone());
        }
        let canonical = self.lookup(path)?;
        self.files.insert(path.to_path_buf(), canonical.clone());
        Ok(canonical)
    }

    fn lookup(&mut self, path: &Path) -> std::io::Result<PathBuf> {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return path.canonicalize();
        };
        let dir = match self.dirs.get(dir) {
            Some(known) => known.clone(),
            None => {
                let found = dir.canonicalize().map_err(|e| e.kind());
                self.dirs.insert(dir.to_path_buf(), found.clone());
                found
            }
        }
        .map_err(std::io::Error::from)?;
        let full = dir.join(name);
        if std::fs::symlink_metadata(&full)?.file_type().is_symlink() {
            full.canonicalize()
        } else {
            Ok(full)
        }
    }
}

impl Files {
    pub(crate) fn new(specs_dir: &Path) -> Result<Self, LoadError> {
        let root_dir = specs_dir.canonicalize().map_err(|source| LoadError::Io {
            at: Location {
                file: specs_dir.to_path_buf(),
                line: None,
                pointer: String::new(),
            },
            source,
        })?;
        Ok(Files {
            root_dir,
            files: Vec::new(),
            by_path: HashMap::new(),
            resolved: HashMap::new(),
            prefetched: HashMap::new(),
            canon: Canon::default(),
            vocabulary: OnceCell::new(),
        })
    }

    /// SHA-256 of every file read, in path order: identifies the spec revision a crate
    /// was generated from, whatever the folder is called.
    pub(crate) fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut sorted: Vec<&SourceFile> = self.files.iter().map(Rc::as_ref).collect();
        sorted.sort_by(|a, b| a.rel.cmp(&b.rel));
        let mut hasher = Sha256::new();
        for file in sorted {
            hasher.update(file.rel.to_string_lossy().as_bytes());
            hasher.update([0]);
            hasher.update(file.text.as_bytes());
            hasher.update([0]);
        }
        hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    pub(crate) fn get(&self, id: FileId) -> Rc<SourceFile> {
        // Ids are only ever handed out by `load`, so they always index `files`.
        Rc::clone(&self.files[id])
    }

    /// A location in a loaded file, with the line of the pointer (or of its nearest
    /// enclosing node that could be found).
    pub(crate) fn location(&self, id: FileId, ptr: &str) -> Location {
        let file = self.get(id);
        Location {
            file: file.rel.clone(),
            line: Some(file.locate(ptr).0),
            pointer: ptr.to_owned(),
        }
    }

    /// Loads the root file of a version (a file directly in the specs folder).
    pub(crate) fn load_root(
        &mut self,
        name: &str,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<FileId, LoadError> {
        let at = || Location {
            file: PathBuf::from(name),
            line: None,
            pointer: String::new(),
        };
        let path = self.root_dir.join(name);
        let canonical = path
            .canonicalize()
            .map_err(|source| LoadError::Io { at: at(), source })?;
        // The root file may be a symlink; it must not lead outside either.
        if !canonical.starts_with(&self.root_dir) {
            return Err(LoadError::OutsideRoot {
                at: at(),
                reference: name.to_owned(),
                resolved: canonical,
            });
        }
        self.load(canonical, None, warnings)
    }

    /// Resolves the file part of a `$ref` made in file `from`. `at` says where the ref is,
    /// for errors.
    pub(crate) fn resolve(
        &mut self,
        from: FileId,
        file_part: &str,
        reference: &str,
        at: impl Fn() -> Location,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<FileId, LoadError> {
        if file_part.is_empty() {
            return Ok(from);
        }
        let from_abs = &self.files[from].abs;
        let base = from_abs.parent().unwrap_or(&self.root_dir);
        let joined = normalize(&base.join(file_part));
        if let Some(&id) = self.resolved.get(&joined) {
            return Ok(id);
        }
        // Lexical check first, so we never even look at files outside the folder.
        if !joined.starts_with(&self.root_dir) {
            return Err(LoadError::OutsideRoot {
                at: at(),
                reference: reference.to_owned(),
                resolved: joined,
            });
        }
        let canonical = match self.canon.file(&joined) {
            Ok(c) => c,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(LoadError::MissingFile {
                    at: at(),
                    reference: reference.to_owned(),
                    target: self.relative(&joined),
                })
            }
            Err(source) => return Err(LoadError::Io { at: at(), source }),
        };
        // Symlinks may still lead outside.
        if !canonical.starts_with(&self.root_dir) {
            return Err(LoadError::OutsideRoot {
                at: at(),
                reference: reference.to_owned(),
                resolved: canonical,
            });
        }
        let id = self.load(canonical, Some(&at), warnings)?;
        self.resolved.insert(joined, id);
        Ok(id)
    }

    /// Parses, on all cores, the files reachable from `root` (a loaded file), so that the
    /// walk finds them in the cache.
    pub(crate) fn prefetch(&mut self, root: FileId) {
        let file = self.get(root);
        self.prefetched = prefetch::run(&self.root_dir, &mut self.canon, &file.abs, &file.root);
    }

    /// The words of every file this load reads (see [`Vocabulary`]). Built on first use,
    /// from the files read so far and those prefetched: together, every file reachable
    /// from the root, whenever it is called.
    pub(crate) fn vocabulary(&self) -> &Vocabulary {
        self.vocabulary.get_or_init(|| {
            let mut words = Vocabulary::default();
            for file in &self.files {
                words.add_path(&file.rel);
                words.add_tree(&file.root);
            }
            for (path, parsed) in &self.prefetched {
                if let Ok((_, Ok((root, _)))) = parsed {
                    words.add_path(&self.relative(path));
                    words.add_tree(root);
                }
            }
            words
        })
    }

    fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root_dir)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }

    /// Reads and parses a file (canonical path) once.
    /// `referrer` is the `$ref` that leads here (none for a root file): errors reading the
    /// file are reported there.
    fn load(
        &mut self,
        abs: PathBuf,
        referrer: Option<Referrer<'_>>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<FileId, LoadError> {
        if let Some(&id) = self.by_path.get(&abs) {
            return Ok(id);
        }
        let rel = self.relative(&abs);
        let whole_file = |line| Location {
            file: rel.clone(),
            line,
            pointer: String::new(),
        };
        let parsed = self
            .prefetched
            .remove(&abs)
            .unwrap_or_else(|| read_and_parse(&abs));
        let (text, tree) = parsed.map_err(|e| read_error(e, &rel, referrer))?;
        let (root, duplicates) = tree.map_err(|e| {
            let loc = e.location();
            LoadError::Yaml {
                at: whole_file(loc.as_ref().map(|l| l.line())),
                column: loc.map(|l| l.column()),
                message: e.to_string(),
            }
        })?;
        // Only duplicates need lines right away; other files get theirs on first lookup.
        let lines = OnceCell::new();
        for dup in duplicates {
            let lines = lines.get_or_init(|| LineIndex::new(&text));
            let first = lines.nearest(&text, &dup.pointer).0;
            let line = lines.duplicate(&text, &dup.pointer);
            warnings.push(Diagnostic::new(
                Location {
                    file: rel.clone(),
                    line,
                    pointer: dup.pointer.clone(),
                },
                format!(
                    "duplicated mapping key `{}` (first at line {first}); the last value is used",
                    dup.key
                ),
            ));
        }
        let id = self.files.len();
        self.files.push(Rc::new(SourceFile {
            rel,
            abs: abs.clone(),
            text,
            root,
            lines,
        }));
        self.by_path.insert(abs, id);
        Ok(id)
    }
}

/// Where the `$ref` through which a file is read is written.
type Referrer<'a> = &'a dyn Fn() -> Location;

/// A file that could not be read, reported at the `$ref` that names it (or at the file
/// itself, for a root file).
fn read_error(error: ReadError, rel: &Path, referrer: Option<Referrer<'_>>) -> LoadError {
    let at = referrer.map_or_else(|| Location::new(rel, ""), |at| at());
    let target = rel.to_path_buf();
    match error {
        ReadError::NotAFile(found) => LoadError::NotAFile { at, target, found },
        ReadError::TooLarge(size) => LoadError::TooLarge {
            at,
            target,
            size,
            limit: MAX_FILE_BYTES,
        },
        ReadError::Io(source) => LoadError::Unreadable { at, target, source },
    }
}

/// Spec files larger than this are refused (the biggest upstream file is about 2 MB, and
/// the files of a version are held in memory together).
pub(crate) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a spec file could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// A directory, named pipe, socket or device: what it is.
    NotAFile(&'static str),
    /// Its size in bytes, over [`MAX_FILE_BYTES`].
    TooLarge(u64),
    Io(std::io::Error),
}

/// Reads a spec file as text. Only regular files are read (checked before opening: a
/// named pipe would block the open itself), and at most [`MAX_FILE_BYTES`] of them; the
/// opened file is checked again, in case it was replaced in between.
pub(crate) fn read_spec_file(path: &Path) -> Result<String, ReadError> {
    use std::io::Read as _;
    let check = |meta: &std::fs::Metadata| match file_kind(&meta.file_type()) {
        Some(found) => Err(ReadError::NotAFile(found)),
        None if meta.len() > MAX_FILE_BYTES => Err(ReadError::TooLarge(meta.len())),
        None => Ok(()),
    };
    check(&std::fs::metadata(path).map_err(ReadError::Io)?)?;
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    check(&file.metadata().map_err(ReadError::Io)?)?;
    let mut text = String::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(ReadError::Io)?;
    match u64::try_from(text.len()) {
        Ok(len) if len <= MAX_FILE_BYTES => Ok(text),
        Ok(len) => Err(ReadError::TooLarge(len)),
        Err(_) => Err(ReadError::TooLarge(u64::MAX)),
    }
}

/// What a file that is no regular file is, for messages; `None` for a regular file.
fn file_kind(kind: &std::fs::FileType) -> Option<&'static str> {
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// Resolves `.` and `..` without touching the file system.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
