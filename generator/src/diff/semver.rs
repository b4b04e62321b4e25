//! The version bump a diff needs. The generated crates follow semver for their Rust API:
//! from 1.0 on a breaking change bumps the major version, other changes the minor one and
//! docs-only changes the patch; before 1.0 (`0.y.z`, cargo's rules) a breaking change bumps
//! the minor version and everything else the patch.

use std::fmt;

use serde::Serialize;

use super::Level;

/// Which part of the version moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// The advice for one diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    pub current: String,
    pub next: String,
    pub bump: Bump,
}

#[derive(Debug, thiserror::Error)]
#[error("release version `{0}` is not MAJOR.MINOR.PATCH (the diff cannot say what comes next)")]
pub struct VersionError(String);

/// The bump the most serious change needs, from version `current`.
pub fn advise(current: &str, highest: Option<Level>) -> Result<Advice, VersionError> {
    let parts: Vec<u64> = current
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| VersionError(current.to_owned()))?;
    let [major, minor, patch] = parts[..] else {
        return Err(VersionError(current.to_owned()));
    };
    let bump = match (highest, major) {
        (None, _) => Bump::None,
        (Some(Level::Breaking), 0) => Bump::Minor,
        (Some(_), 0) => Bump::Patch,
        (Some(Level::Breaking), _) => Bump::Major,
        (Some(Level::NonBreaking | Level::Absorbed), _) => Bump::Minor,
        (Some(Level::Docs), _) => Bump::Patch,
    };
    let next = match bump {
        Bump::None => current.to_owned(),
        Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
        Bump::Minor => format!("{major}.{}.0", minor + 1),
        Bump::Major => format!("{}.0.0", major + 1),
    };
    Ok(Advice {
        current: current.to_owned(),
        next,
        bump,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(current: &str, level: Option<Level>) -> (Bump, String) {
        let advice = advise(current, level).expect("valid version");
        (advice.bump, advice.next)
    }

    #[test]
    fn zero_versions_bump_minor_for_breaking_and_patch_otherwise() {
        assert_eq!(
            next("0.2.0", Some(Level::Breaking)),
            (Bump::Minor, "0.3.0".into())
        );
        assert_eq!(
            next("0.2.3", Some(Level::NonBreaking)),
            (Bump::Patch, "0.2.4".into())
        );
        assert_eq!(
            next("0.2.3", Some(Level::Absorbed)),
            (Bump::Patch, "0.2.4".into())
        );
        assert_eq!(
            next("0.2.3", Some(Level::Docs)),
            (Bump::Patch, "0.2.4".into())
        );
    }

    #[test]
    fn stable_versions_follow_semver() {
        assert_eq!(
            next("1.4.2", Some(Level::Breaking)),
            (Bump::Major, "2.0.0".into())
        );
        assert_eq!(
            next("1.4.2", Some(Level::NonBreaking)),
            (Bump::Minor, "1.5.0".into())
        );
        assert_eq!(
            next("1.4.2", Some(Level::Absorbed)),
            (Bump::Minor, "1.5.0".into())
        );
        assert_eq!(
            next("1.4.2", Some(Level::Docs)),
            (Bump::Patch, "1.4.3".into())
        );
    }

    #[test]
    fn no_changes_keep_the_version() {
        assert_eq!(next("0.2.0", None), (Bump::None, "0.2.0".into()));
    }

    #[test]
    fn other_version_forms_are_refused() {
        for bad in ["1.2", "1.2.3-beta.1", "v1.2.3", "", "1.2.3.4"] {
            assert!(
                advise(bad, Some(Level::Docs)).is_err(),
                "{bad:?} was accepted"
            );
        }
    }
}
