//! Which types users build and which they only read: a type is a *request* type when a
//! request reaches it (a parameter, a request body, a form field, or a type one of those
//! reaches), and a *response* type when a successful response does. The rules for new
//! fields and new enum values depend on it (see `rules.rs`).

use std::collections::BTreeSet;

use crate::model::{type_refs, Api, BodyKind, Operation, ResponseBody, Success, TypeRef};

/// The request and response types of one version.
#[derive(Debug, Default)]
pub struct Roles {
    request: BTreeSet<String>,
    response: BTreeSet<String>,
}

impl Roles {
    pub fn of(api: &Api) -> Roles {
        let operations = || api.tags.iter().flat_map(|t| t.operations.iter());
        Roles {
            request: closure(api, operations().flat_map(request_refs)),
            response: closure(api, operations().flat_map(response_refs)),
        }
    }

    /// Users build values of this type to send them.
    pub fn is_request(&self, name: &str) -> bool {
        self.request.contains(name)
    }

    /// The service sends values of this type.
    pub fn is_response(&self, name: &str) -> bool {
        self.response.contains(name)
    }
}

fn request_refs(op: &Operation) -> Vec<&TypeRef> {
    let mut refs: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
    match op.body.as_ref().map(|b| &b.kind) {
        Some(BodyKind::Json(ty)) => refs.push(ty),
        Some(BodyKind::Multipart(parts) | BodyKind::Form(parts)) => {
            refs.extend(parts.iter().map(|p| &p.ty));
        }
        Some(BodyKind::Bytes) | None => {}
    }
    refs
}

/// What `send()`, `paginate()` and `search_after()` decode. Other statuses' bodies are not
/// decoded into generated types (errors carry the runtime's own error body).
fn response_refs(op: &Operation) -> Vec<&TypeRef> {
    let mut refs: Vec<&TypeRef> = match &op.success {
        Success::Empty | Success::Count => Vec::new(),
        Success::Single(body) => json(body).into_iter().collect(),
        Success::ByStatus { variants, .. } => variants
            .iter()
            .filter_map(|v| v.body.as_ref().and_then(json))
            .collect(),
    };
    refs.extend(op.pagination.as_ref().map(|p| &p.item));
    refs.extend(op.search_after.as_ref().map(|s| &s.item));
    refs
}

fn json(body: &ResponseBody) -> Option<&TypeRef> {
    match body {
        ResponseBody::Json(ty) => Some(ty),
        ResponseBody::Bytes | ResponseBody::Text => None,
    }
}

/// The named types `roots` mention and every type those reach.
fn closure<'a>(api: &'a Api, roots: impl Iterator<Item = &'a TypeRef>) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    let mut pending: Vec<&TypeRef> = roots.collect();
    while let Some(ty) = pending.pop() {
        match ty {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                pending.push(inner)
            }
            TypeRef::Named(name) if reached.insert(name.clone()) => {
                if let Some(def) = api.types.get(name) {
                    pending.extend(type_refs(def));
                }
            }
            _ => {}
        }
    }
    reached
}
