//! The Python side of the checks (`checks/`): a virtualenv under `target/python-venv` with
//! the pinned `checks/requirements.txt`, rebuilt when that file changes, and the modules
//! run from it.

use std::ffi::OsStr;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::{run, workspace_root, Failure};

/// The Python checks' folder (package `isc_checks`, `requirements.txt`, `tests/`).
const CHECKS: &str = "checks";

/// The virtualenv's Python, set up (or refreshed) from the pinned requirements.
pub fn venv() -> Result<PathBuf, Failure> {
    let root = workspace_root();
    let venv = root.join("target/python-venv");
    let python = venv.join("bin/python");
    let requirements = root.join(CHECKS).join("requirements.txt");
    let wanted = fs::read_to_string(&requirements)
        .map_err(|e| Failure::new(format!("{}: {e}", requirements.display())))?;
    let stamp = venv.join("requirements.installed");
    if python.is_file() && fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    println!(
        "setting up {} from {}",
        venv.display(),
        requirements.display()
    );
    if venv.exists() {
        fs::remove_dir_all(&venv).map_err(|e| Failure::new(format!("{}: {e}", venv.display())))?;
    }
    let mut create = Command::new("python3");
    create.args(["-m", "venv"]).arg(&venv);
    run::status(create)?;
    let mut install = Command::new(&python);
    install
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements);
    run::status(install)?;
    fs::write(&stamp, wanted).map_err(|e| Failure::new(format!("{}: {e}", stamp.display())))?;
    Ok(python)
}

/// `python -m <module> <args>` in the virtualenv, with `checks/` on the module path.
pub fn module<I, S>(module: &str, args: I) -> Result<(), Failure>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let root = workspace_root();
    let mut command = Command::new(venv()?);
    command
        .args(["-m", module])
        .args(args)
        .current_dir(&root)
        .env("PYTHONPATH", root.join(CHECKS));
    run::status(command)
}

/// The Python checks' own unit tests.
pub fn unit_tests() -> Result<(), Failure> {
    module(
        "unittest",
        ["discover", "-s", "checks/tests", "-t", CHECKS, "-q"],
    )
}
