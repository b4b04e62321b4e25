//! The `minijinja` side of rendering: the templates in `templates/` are compiled into the
//! generator (so output never depends on the working directory) and filled from the model.

use minijinja::{context, Environment};
use serde::Serialize;

use super::{RenderError, PREAMBLE};
use crate::model::{Api, ResponseBody, Success, TypeRef};

const TEMPLATES: &[(&str, &str)] = &[
    (
        "Cargo.toml.j2",
        include_str!("../../../templates/client/Cargo.toml.j2"),
    ),
    (
        "README.md.j2",
        include_str!("../../../templates/client/README.md.j2"),
    ),
    (
        "lib.md.j2",
        include_str!("../../../templates/client/lib.md.j2"),
    ),
    (
        "version.md.j2",
        include_str!("../../../templates/client/version.md.j2"),
    ),
    (
        "surface.txt.j2",
        include_str!("../../../templates/surface.txt.j2"),
    ),
];

pub fn environment() -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|source| RenderError::Template {
                template: (*name).to_owned(),
                source,
            })?;
    }
    Ok(env)
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
struct VersionView {
    name: String,
    feature: String,
    base_path: String,
    operations: usize,
    types: usize,
    warnings: usize,
    tags: Vec<TagView>,
}

fn versions(apis: &[Api]) -> Vec<VersionView> {
    apis.iter()
        .map(|api| VersionView {
            name: api.version.clone(),
            feature: api.module.clone(),
            base_path: api.base_path.clone(),
            operations: api.operation_count(),
            types: api.types.len(),
            warnings: api.warnings.len(),
            tags: api
                .tags
                .iter()
                .map(|t| TagView {
                    name: t.name.clone(),
                    module: t.module.clone(),
                    operations: t.operations.len(),
                })
                .collect(),
        })
        .collect()
}

pub fn cargo_toml(env: &Environment<'_>, apis: &[Api]) -> Result<String, RenderError> {
    render_template(
        env,
        "Cargo.toml.j2",
        context! { preamble => PREAMBLE, versions => versions(apis) },
    )
}

pub fn readme(env: &Environment<'_>, apis: &[Api]) -> Result<String, RenderError> {
    render_template(
        env,
        "README.md.j2",
        context! { preamble => PREAMBLE, versions => versions(apis) },
    )
}

/// A call for the crate docs' example: an operation with no required input that returns a
/// list and needs no experimental switch.
#[derive(Serialize)]
struct Example {
    version: String,
    tag: String,
    op: String,
}

fn example(apis: &[Api]) -> Option<Example> {
    apis.iter().rev().find_map(|api| {
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
                    version: api.module.clone(),
                    tag: tag.module.clone(),
                    op: crate::model::field_ident_name(&op.fn_name),
                })
        })
    })
}

pub fn lib_doc(env: &Environment<'_>, apis: &[Api]) -> Result<String, RenderError> {
    render_template(
        env,
        "lib.md.j2",
        context! { versions => versions(apis), example => example(apis) },
    )
}

pub fn version_doc(
    env: &Environment<'_>,
    api: &Api,
    root_file: &str,
) -> Result<String, RenderError> {
    render_template(
        env,
        "version.md.j2",
        context! {
            title => api.title,
            version => api.version,
            module => api.module,
            root_file => root_file,
            operations => api.operation_count(),
            types => api.types.len(),
        },
    )
}
