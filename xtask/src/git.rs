//! Reading a folder of this repository as it was at a git revision, for
//! `cargo xtask diff --base REV`: the files are written out of git's object store (`git
//! ls-tree` and `git cat-file --batch`), never checked out, so the working tree and index
//! stay untouched.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git: {0}")]
    Spawn(#[source] std::io::Error),
    #[error("`git {args}` failed: {stderr}")]
    Failed { args: String, stderr: String },
    #[error("unknown git revision `{rev}` (`git rev-parse` found no commit by that name)")]
    UnknownRevision { rev: String },
    #[error("{path} is not inside the git repository at {repo}")]
    OutsideRepository { path: PathBuf, repo: PathBuf },
    #[error("revision `{rev}` has no files under `{path}/`")]
    NoFiles { rev: String, path: String },
    #[error("unexpected output from `git cat-file --batch`: {0}")]
    Protocol(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(GitError::Spawn)?;
    if !output.status.success() {
        return Err(GitError::Failed {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(output.stdout)
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim().to_owned()
}

/// The commit `rev` names, in full.
pub fn resolve(dir: &Path, rev: &str) -> Result<String, GitError> {
    let spec = format!("{rev}^{{commit}}");
    match git(dir, &["rev-parse", "--verify", "--quiet", &spec]) {
        Ok(out) => Ok(text(out)),
        Err(GitError::Failed { .. }) => Err(GitError::UnknownRevision {
            rev: rev.to_owned(),
        }),
        Err(other) => Err(other),
    }
}

/// The repository's top folder and `folder`'s path inside it (with `/`).
fn locate(folder: &Path) -> Result<(PathBuf, String), GitError> {
    let io = |source| GitError::Io {
        path: folder.to_path_buf(),
        source,
    };
    let folder = folder.canonicalize().map_err(io)?;
    let top = PathBuf::from(text(git(&folder, &["rev-parse", "--show-toplevel"])?));
    let top = top.canonicalize().unwrap_or(top);
    let inside = folder
        .strip_prefix(&top)
        .map_err(|_| GitError::OutsideRepository {
            path: folder.clone(),
            repo: top.clone(),
        })?;
    let rel = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Ok((top, rel))
}

/// A file to extract: its blob and its path below the extracted folder.
struct Entry {
    blob: String,
    rel: String,
}

/// Writes the files of `folder` (a folder of a git working tree) as they are at commit
/// `commit` into `into`, keeping their layout. Returns how many files were written.
pub fn extract(folder: &Path, commit: &str, into: &Path) -> Result<usize, GitError> {
    let (top, rel) = locate(folder)?;
    let listing = git(&top, &["ls-tree", "-r", "-z", commit, "--", &rel])?;
    let prefix = if rel.is_empty() {
        String::new()
    } else {
        format!("{rel}/")
    };
    let entries: Vec<Entry> = listing
        .split(|&b| b == 0)
        .filter_map(|record| {
            let record = String::from_utf8_lossy(record);
            let (meta, path) = record.split_once('\t')?;
            let mut meta = meta.split(' ');
            let (_mode, kind, blob) = (meta.next()?, meta.next()?, meta.next()?);
            // Regular files only: a specs folder holds no links or submodules.
            let regular = kind == "blob" && !record.starts_with("120000");
            let rel = path.strip_prefix(&prefix)?.to_owned();
            regular.then(|| Entry {
                blob: blob.to_owned(),
                rel,
            })
        })
        .collect();
    if entries.is_empty() {
        return Err(GitError::NoFiles {
            rev: commit.to_owned(),
            path: rel,
        });
    }
    write_blobs(&top, &entries, into)?;
    Ok(entries.len())
}

/// Reads every blob through one `git cat-file --batch` and writes it out. The blob ids are
/// fed from another thread: writing them all before reading could fill both pipes.
fn write_blobs(top: &Path, entries: &[Entry], into: &Path) -> Result<(), GitError> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(GitError::Spawn)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(GitError::Protocol("git's pipes were not opened".to_owned()));
    };
    let ids: String = entries.iter().map(|e| format!("{}\n", e.blob)).collect();
    let feeder = std::thread::spawn(move || stdin.write_all(ids.as_bytes()));
    let mut reader = BufReader::new(stdout);
    let result = entries
        .iter()
        .try_for_each(|entry| write_one(&mut reader, entry, into));
    let fed = feeder.join();
    let status = child.wait().map_err(GitError::Spawn)?;
    result?;
    match fed {
        Ok(Ok(())) if status.success() => Ok(()),
        _ => Err(GitError::Failed {
            args: "cat-file --batch".to_owned(),
            stderr: format!("exited with {status}"),
        }),
    }
}

fn write_one(reader: &mut impl BufRead, entry: &Entry, into: &Path) -> Result<(), GitError> {
    let mut header = String::new();
    reader
        .read_line(&mut header)
        .map_err(|e| GitError::Protocol(e.to_string()))?;
    // `<id> blob <size>`
    let size: usize = header
        .split_whitespace()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| GitError::Protocol(header.trim().to_owned()))?;
    let mut contents = vec![0; size + 1];
    reader
        .read_exact(&mut contents)
        .map_err(|e| GitError::Protocol(e.to_string()))?;
    contents.pop(); // the newline after each object
    let path = into.join(&entry.rel);
    let io = |source| GitError::Io {
        path: path.clone(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(&path, contents).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository with one commit of `specs/`, then a working-tree edit.
    fn repository() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let run = |args: &[&str]| {
            let status = Command::new("git")
                .arg("-C")
                .arg(root)
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("git runs");
            assert!(status.success(), "git {args:?}");
        };
        run(&["init", "-q"]);
        std::fs::create_dir_all(root.join("specs/v1/paths")).expect("mkdir");
        std::fs::write(root.join("specs/sailpoint-api.v1.yaml"), "committed root\n")
            .expect("write");
        std::fs::write(root.join("specs/v1/paths/a b.yaml"), "committed path\n").expect("write");
        std::fs::write(root.join("other.txt"), "not specs\n").expect("write");
        run(&["add", "-A"]);
        run(&["commit", "-q", "-m", "specs"]);
        std::fs::write(root.join("specs/sailpoint-api.v1.yaml"), "edited root\n").expect("write");
        dir
    }

    #[test]
    fn extracts_a_folder_as_committed() {
        let repo = repository();
        let commit = resolve(repo.path(), "HEAD").expect("HEAD resolves");
        let out = tempfile::tempdir().expect("temp dir");
        let count = extract(&repo.path().join("specs"), &commit, out.path()).expect("extracts");
        assert_eq!(count, 2);
        let read = |rel: &str| std::fs::read_to_string(out.path().join(rel)).expect("extracted");
        assert_eq!(read("sailpoint-api.v1.yaml"), "committed root\n");
        assert_eq!(read("v1/paths/a b.yaml"), "committed path\n");
        assert!(!out.path().join("other.txt").exists());
    }

    #[test]
    fn an_unknown_revision_is_a_clear_error() {
        let repo = repository();
        let error = resolve(repo.path(), "no-such-branch").expect_err("unknown");
        assert!(matches!(error, GitError::UnknownRevision { .. }), "{error}");
        assert!(error.to_string().contains("no-such-branch"));
    }

    #[test]
    fn a_revision_without_the_folder_is_a_clear_error() {
        let repo = repository();
        let commit = resolve(repo.path(), "HEAD").expect("HEAD resolves");
        std::fs::create_dir_all(repo.path().join("later")).expect("mkdir");
        let out = tempfile::tempdir().expect("temp dir");
        let error = extract(&repo.path().join("later"), &commit, out.path()).expect_err("empty");
        assert!(matches!(error, GitError::NoFiles { .. }), "{error}");
    }
}
