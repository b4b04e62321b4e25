//! The API surface: a compact, stable text listing of every operation's signature and every
//! type's members. Reviewers read its snapshot to see what a spec change does to users.

use minijinja::context;
use serde::Serialize;

use super::templates::{environment, render_template};
use super::RenderError;
use crate::model::{Api, BodyKind, Operation, ResponseBody, Success, TypeDef, TypeKind};

#[derive(Serialize)]
struct OperationView {
    tag: String,
    signature: String,
    details: Vec<String>,
}

#[derive(Serialize)]
struct TypeView {
    signature: String,
    members: Vec<String>,
}

fn body_str(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Json(ty) => ty.rust(),
        ResponseBody::Bytes => "Vec<u8>".into(),
        ResponseBody::Text => "String".into(),
    }
}

fn success_str(success: &Success) -> String {
    match success {
        Success::Empty => "()".into(),
        Success::Count => "u64 (X-Total-Count)".into(),
        Success::Single(body) => body_str(body),
        Success::ByStatus { name, .. } => name.clone(),
    }
}

fn operation_view(tag: &str, op: &Operation) -> OperationView {
    let required: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("{}: {}", p.rust_name, p.ty.rust()))
        .collect();
    let mut details = vec![format!(
        "{} {}{}{}",
        op.method.as_str(),
        op.path,
        if op.experimental {
            " [experimental]"
        } else {
            ""
        },
        if op.deprecated { " [deprecated]" } else { "" }
    )];
    for p in &op.params {
        details.push(format!(
            "{} {}{}: {}{}",
            p.location.as_str(),
            p.name,
            if p.required { "" } else { "?" },
            p.ty.rust(),
            p.default
                .as_ref()
                .map(|d| format!(" = {d}"))
                .unwrap_or_default()
        ));
    }
    if let Some(body) = &op.body {
        let shape = match &body.kind {
            BodyKind::Json(ty) => ty.rust(),
            BodyKind::Bytes => "Vec<u8>".into(),
            BodyKind::Multipart(parts) | BodyKind::Form(parts) => parts
                .iter()
                .map(|p| {
                    format!(
                        "{}{}: {}",
                        p.name,
                        if p.required { "" } else { "?" },
                        p.ty.rust()
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        };
        details.push(format!(
            "body{} [{}]: {shape}",
            if body.required { "" } else { "?" },
            body.all_content_types.join(", ")
        ));
    }
    for response in &op.responses {
        let content: Vec<String> = response
            .content
            .iter()
            .map(|(mt, b)| format!("{mt} {}", body_str(b)))
            .collect();
        let headers: Vec<&str> = response.headers.iter().map(|h| h.name.as_str()).collect();
        details.push(format!(
            "-> {}{}{}",
            response.status,
            if content.is_empty() {
                String::new()
            } else {
                format!(": {}", content.join(", "))
            },
            if headers.is_empty() {
                String::new()
            } else {
                format!(" headers: {}", headers.join(", "))
            }
        ));
    }
    if let Some(p) = &op.pagination {
        details.push(format!("paginate() -> Stream<{}>", p.item.rust()));
    }
    if let Some(s) = &op.search_after {
        details.push(format!("search_after() -> Stream<{}>", s.item.rust()));
    }
    OperationView {
        tag: tag.to_owned(),
        signature: format!(
            "{}({}) -> {}  # {}",
            op.fn_name,
            required.join(", "),
            success_str(&op.success),
            op.id
        ),
        details,
    }
}

fn type_view(def: &TypeDef) -> TypeView {
    match &def.kind {
        TypeKind::Struct(s) => TypeView {
            signature: format!(
                "struct {}{}",
                def.name,
                if def.default { " (Default)" } else { "" }
            ),
            members: s
                .fields
                .iter()
                .map(|f| {
                    let mut ty = f.ty.rust();
                    if f.boxed {
                        ty = format!("Box<{ty}>");
                    }
                    if f.optional() {
                        ty = format!("Option<{ty}>");
                    }
                    format!(
                        "{}: {ty}{}",
                        f.name,
                        if f.required { " (required)" } else { "" }
                    )
                })
                .chain(s.additional.iter().map(|a| format!("..: {}", a.rust())))
                .collect(),
        },
        TypeKind::Enum(e) => TypeView {
            signature: format!("enum {}", def.name),
            members: e
                .variants
                .iter()
                .map(|v| format!("{} = {:?}", v.rust_name, v.value))
                .chain([format!("{}(String)", e.fallback)])
                .collect(),
        },
        TypeKind::Union(u) => TypeView {
            signature: format!(
                "union {}{}",
                def.name,
                u.tag
                    .as_ref()
                    .map(|t| format!(" by `{t}`"))
                    .unwrap_or_else(|| " (untagged)".into())
            ),
            members: u
                .variants
                .iter()
                .map(|v| {
                    let tags = if v.tag_values.is_empty() {
                        String::new()
                    } else {
                        format!(" = {}", v.tag_values.join(" | "))
                    };
                    format!("{}({}){tags}", v.rust_name, v.ty.rust())
                })
                .chain([format!("{}(Json)", u.fallback)])
                .collect(),
        },
        TypeKind::Alias(target) => TypeView {
            signature: format!("type {} = {}", def.name, target.rust()),
            members: Vec::new(),
        },
        TypeKind::Newtype(n) => TypeView {
            signature: format!(
                "struct {}({})",
                def.name,
                if n.boxed {
                    format!("Box<{}>", n.value.rust())
                } else {
                    n.value.rust()
                }
            ),
            members: Vec::new(),
        },
    }
}

/// The surface listing of one version.
pub fn surface(api: &Api) -> Result<String, RenderError> {
    let env = environment()?;
    let operations: Vec<OperationView> = api
        .tags
        .iter()
        .flat_map(|t| {
            t.operations
                .iter()
                .map(move |op| operation_view(&t.name, op))
        })
        .collect();
    let types: Vec<TypeView> = api.types.values().map(type_view).collect();
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    render_template(
        &env,
        "surface.txt.j2",
        context! { version => api.version, base_path => api.base_path, operations, types, warnings },
    )
}
