//! The `minijinja` side of rendering: the templates in `templates/` are compiled into the
//! generator (so output never depends on the working directory) and filled from the model.
//! Text from the specs passes through a filter for the format it lands in: `toml` for
//! manifest strings, `md` for Markdown.

use minijinja::{context, Environment};
use serde::Serialize;

use super::{RenderError, PREAMBLE};
use crate::load::Layout;
use crate::model::shared::SHARED;
use crate::model::{Api, ResponseBody, Success, TypeRef};
use crate::release::{Release, RUNTIME_CRATE};

const TEMPLATES: &[(&str, &str)] = &[
    (
        "package.toml.j2",
        include_str!("../../../templates/package.toml.j2"),
    ),
    (
        "facade/Cargo.toml.j2",
        include_str!("../../../templates/facade/Cargo.toml.j2"),
    ),
    (
        "facade/README.md.j2",
        include_str!("../../../templates/facade/README.md.j2"),
    ),
    (
        "version/Cargo.toml.j2",
        include_str!("../../../templates/version/Cargo.toml.j2"),
    ),
    (
        "version/README.md.j2",
        include_str!("../../../templates/version/README.md.j2"),
    ),
    (
        "shared/README.md.j2",
        include_str!("../../../templates/shared/README.md.j2"),
    ),
    (
        "workspace/Cargo.toml.j2",
        include_str!("../../../templates/workspace/Cargo.toml.j2"),
    ),
    (
        "surface.txt.j2",
        include_str!("../../../templates/surface.txt.j2"),
    ),
];

/// The feature of a version crate that compiles the schemas no operation uses.
pub const OTHER_MODELS_FEATURE: &str = "other-models";

pub fn environment() -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_filter("toml", |value: String| toml_string(&value));
    env.add_filter("md", |value: String| markdown_inline(&value));
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|source| RenderError::Template {
                template: (*name).to_owned(),
                source,
            })?;
    }
    Ok(env)
}

/// A TOML basic string: quotes, backslashes and every control character escaped.
pub fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for one line of Markdown (a table cell, a code span): line breaks become spaces,
/// and the characters that would end a cell or a code span are escaped or replaced.
pub fn markdown_inline(value: &str) -> String {
    value
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
        .replace('`', "'")
}

pub fn render_template<S: Serialize>(
    env: &Environment<'_>,
    name: &str,
    ctx: S,
) -> Result<String, RenderError> {
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|source| RenderError::Template {
            template: name.to_owned(),
            source,
        })
}

#[derive(Serialize)]
struct TagView {
    name: String,
    module: String,
    operations: usize,
}

#[derive(Serialize)]
struct FeatureView {
    name: String,
}

#[derive(Serialize)]
struct VersionView {
    name: String,
    feature: String,
    crate_name: String,
    title: String,
    base_path: String,
    root_file: String,
    digest: String,
    operations: usize,
    types: usize,
    unused_types: usize,
    tags: Vec<TagView>,
    features: Vec<FeatureView>,
    /// A resource of the resources layout (else a version).
    resource: bool,
    /// The API's own version (`info.version`).
    api_version: String,
    /// The shared crate of a resources set (no operations, no features).
    common: bool,
    /// The shared crate this crate re-exports types from, if any.
    shared_crate: Option<String>,
}

fn version_view(api: &Api, release: &Release) -> VersionView {
    let tags: Vec<TagView> = api
        .tags
        .iter()
        .map(|t| TagView {
            name: t.name.clone(),
            module: t.module.clone(),
            operations: t.operations.len(),
        })
        .collect();
    // The shared crate's types compile whatever is on: it has no features.
    let features = if api.common {
        Vec::new()
    } else {
        tags.iter()
            .map(|t| t.module.as_str())
            .chain([OTHER_MODELS_FEATURE])
            .map(|name| FeatureView {
                name: name.to_owned(),
            })
            .collect()
    };
    VersionView {
        name: api.version.clone(),
        feature: api.module.clone(),
        crate_name: release.version_crate(&api.module),
        title: api.title.clone(),
        base_path: api.base_path.clone(),
        root_file: api.root_file.clone(),
        digest: api.source_digest.clone(),
        operations: api.operation_count(),
        types: api.types.len(),
        unused_types: api.types.values().filter(|t| t.used_by.is_empty()).count(),
        tags,
        features,
        resource: api.layout == Layout::Resources,
        api_version: api.api_version.clone(),
        common: api.common,
        shared_crate: api
            .types
            .values()
            .any(|def| def.shared_as.is_some())
            .then(|| release.version_crate(SHARED)),
    }
}

/// A call for the quick starts: an operation with no required input that returns a list
/// and needs no experimental switch.
#[derive(Serialize)]
struct Example {
    feature: String,
    tag: String,
    op: String,
}

fn example(api: &Api) -> Option<Example> {
    api.tags.iter().find_map(|tag| {
        tag.operations
            .iter()
            .find(|op| {
                !op.experimental
                    && !op.deprecated
                    && op.params.iter().all(|p| !p.required)
                    && op.body.as_ref().is_none_or(|b| !b.required)
                    && matches!(
                        op.success,
                        Success::Single(ResponseBody::Json(TypeRef::Vec(_)))
                    )
            })
            .map(|op| Example {
                feature: api.module.clone(),
                tag: tag.module.clone(),
                op: crate::model::field_ident_name(&op.fn_name),
            })
    })
}

/// `sailpoint-isc-runtime = { version = "…", path = "…" }`.
fn runtime_dependency(release: &Release) -> String {
    format!(
        "{RUNTIME_CRATE} = {{ version = {}, path = {} }}",
        toml_string(&release.runtime_version),
        toml_string(&release.runtime_path)
    )
}

fn crate_ident(name: &str) -> String {
    name.replace('-', "_")
}

/// The facade crate's manifest and README.
pub fn facade_files(
    env: &Environment<'_>,
    apis: &[Api],
    release: &Release,
) -> Result<(String, String), RenderError> {
    let views: Vec<VersionView> = apis.iter().map(|api| version_view(api, release)).collect();
    let ctx = context! {
        preamble => PREAMBLE,
        release => release,
        crate_name => release.facade_crate,
        crate_ident => crate_ident(&release.facade_crate),
        runtime_crate => RUNTIME_CRATE,
        runtime_dependency => runtime_dependency(release),
        apis => views.iter().filter(|v| !v.common).collect::<Vec<_>>(),
        common => views.iter().filter(|v| v.common).collect::<Vec<_>>(),
        resources => views.iter().any(|v| v.resource),
        example => apis.iter().rev().find_map(example),
    };
    Ok((
        render_template(env, "facade/Cargo.toml.j2", &ctx)?,
        render_template(env, "facade/README.md.j2", &ctx)?,
    ))
}

/// A version crate's manifest and README.
pub fn version_files(
    env: &Environment<'_>,
    api: &Api,
    release: &Release,
) -> Result<(String, String), RenderError> {
    let crate_name = release.version_crate(&api.module);
    let ctx = context! {
        preamble => PREAMBLE,
        release => release,
        crate_ident => crate_ident(&crate_name),
        crate_name => crate_name,
        facade_crate => release.facade_crate,
        facade_ident => crate_ident(&release.facade_crate),
        runtime_dependency => runtime_dependency(release),
        version => version_view(api, release),
        example => example(api),
    };
    Ok((
        render_template(env, "version/Cargo.toml.j2", &ctx)?,
        render_template(
            env,
            if api.common {
                "shared/README.md.j2"
            } else {
                "version/README.md.j2"
            },
            &ctx,
        )?,
    ))
}

/// The workspace manifest of a standalone set.
pub fn workspace_manifest(
    env: &Environment<'_>,
    apis: &[Api],
    release: &Release,
) -> Result<String, RenderError> {
    render_template(
        env,
        "workspace/Cargo.toml.j2",
        context! {
            preamble => PREAMBLE,
            runtime_crate => RUNTIME_CRATE,
            facade_crate => release.facade_crate,
            versions => apis.iter().map(|api| version_view(api, release)).collect::<Vec<_>>(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape_quotes_and_controls() {
        assert_eq!(
            toml_string("a\"b\\c\nd\u{7f}"),
            "\"a\\\"b\\\\c\\nd\\u007F\""
        );
    }

    #[test]
    fn markdown_cells_stay_on_one_line() {
        assert_eq!(markdown_inline("a | b\r\n`c`\n"), "a \\| b 'c'");
    }
}
