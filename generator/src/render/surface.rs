//! The API surface: a compact, stable text listing of every operation's signature and every
//! type's members. Reviewers read its snapshot to see what a spec change does to users.

use minijinja::context;
use serde::Serialize;

use super::templates::{environment, render_template};
use super::RenderError;
use crate::model::{Api, BodyKind, Operation, ResponseBody, Success, TypeDef, TypeKind, TypeRef};

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

pub fn type_str(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Json => "Json".into(),
        TypeRef::File => "FilePart".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_str(inner)),
        TypeRef::Map(inner) => format!("Map<{}>", type_str(inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_str(inner)),
        TypeRef::Named(name) => name.clone(),
    }
}

fn body_str(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Json(ty) => type_str(ty),
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
        .map(|p| format!("{}: {}", p.rust_name, type_str(&p.ty)))
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
            type_str(&p.ty),
            p.default
                .as_ref()
                .map(|d| format!(" = {d}"))
                .unwrap_or_default()
        ));
    }
    if let Some(body) = &op.body {
        let shape = match &body.kind {
            BodyKind::Json(ty) => type_str(ty),
            BodyKind::Bytes => "Vec<u8>".into(),
            BodyKind::Multipart(parts) | BodyKind::Form(parts) => parts
                .iter()
                .map(|p| {
                    format!(
                        "{}{}: {}",
                        p.name,
                        if p.required { "" } else { "?" },
                        type_str(&p.ty)
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
        details.push(format!("paginate() -> Stream<{}>", type_str(&p.item)));
    }
    if let Some(s) = &op.search_after {
        details.push(format!("search_after() -> Stream<{}>", type_str(&s.item)));
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
                    let mut ty = type_str(&f.ty);
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
                .chain(s.additional.iter().map(|a| format!("..: {}", type_str(a))))
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
                    format!("{}({}){tags}", v.rust_name, type_str(&v.ty))
                })
                .chain([format!("{}(Json)", u.fallback)])
                .collect(),
        },
        TypeKind::Alias(target) => TypeView {
            signature: format!("type {} = {}", def.name, type_str(target)),
            members: Vec::new(),
        },
        TypeKind::Newtype(n) => TypeView {
            signature: format!(
                "struct {}({})",
                def.name,
                if n.boxed {
                    format!("Box<{}>", type_str(&n.value))
                } else {
                    type_str(&n.value)
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
