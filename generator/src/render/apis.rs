//! One Rust file per tag: the tag's accessor struct, an `Operation` constant and a request
//! builder per operation. Builders turn themselves into a runtime `Request` (plain data)
//! and hand it to the one shared, non-generic transport path, `Client::send`.

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rust::{doc, doc_paragraphs, ident, inline, TypeCtx};
use crate::model::{
    Alternative, Api, BodyKind, FormPart, Operation, Pagination, Param, ParamLocation,
    ResponseBody, Success, Tag, TypeKind, TypeRef,
};

pub fn tag_file(api: &Api, tag: &Tag) -> TokenStream {
    let ctx = TypeCtx::in_crate();
    let struct_name = ident(&tag.struct_name);
    let tag_doc = format!(" Operations tagged `{}`.", inline(&tag.name));
    let accessors = tag.operations.iter().map(|op| accessor(op, &ctx));
    let operations = tag.operations.iter().map(|op| operation(api, op, &ctx));
    let description = doc(tag.description.as_deref());
    quote! {
        #[doc = #tag_doc]
        #[doc = ""]
        #description
        #[derive(Debug, Clone)]
        pub struct #struct_name {
            pub(crate) client: crate::Client,
        }

        impl #struct_name {
            #(#accessors)*
        }

        #(#operations)*
    }
}

fn const_name(op: &Operation) -> Ident {
    format_ident!("{}", op.builder_name.to_shouty_snake_case())
}

/// Required inputs become arguments of the accessor; everything else a builder method.
struct Input<'a> {
    rust_name: &'a str,
    ty: TypeRef,
    required: bool,
    description: Option<&'a str>,
}

fn inputs(op: &Operation) -> Vec<Input<'_>> {
    let mut out: Vec<Input<'_>> = op
        .params
        .iter()
        .map(|p| Input {
            rust_name: &p.rust_name,
            ty: p.ty.clone(),
            required: p.required,
            description: p.description.as_deref(),
        })
        .collect();
    if let Some(body) = &op.body {
        match &body.kind {
            BodyKind::Json(ty) => out.push(Input {
                rust_name: "body",
                ty: ty.clone(),
                required: body.required,
                description: body.description.as_deref(),
            }),
            BodyKind::Bytes => out.push(Input {
                rust_name: "body",
                ty: TypeRef::Bytes,
                required: body.required,
                description: body.description.as_deref(),
            }),
            BodyKind::Multipart(parts) | BodyKind::Form(parts) => {
                out.extend(parts.iter().map(|p: &FormPart| Input {
                    rust_name: &p.rust_name,
                    ty: p.ty.clone(),
                    required: p.required && body.required,
                    description: p.description.as_deref(),
                }))
            }
        }
    }
    out
}

/// Argument type and conversion: strings take `impl Into<String>`.
fn argument(input: &Input<'_>, ctx: &TypeCtx) -> (TokenStream, TokenStream) {
    let name = ident(input.rust_name);
    if input.ty == TypeRef::String {
        (quote! { impl Into<String> }, quote! { #name.into() })
    } else {
        (ctx.ty(&input.ty), quote! { #name })
    }
}

/// Clippy's default `too-many-arguments-threshold` (`self` included).
const CLIPPY_ARGUMENTS_THRESHOLD: usize = 7;

fn accessor(op: &Operation, ctx: &TypeCtx) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let builder = ident(&op.builder_name);
    let inputs = inputs(op);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for input in &inputs {
        let name = ident(input.rust_name);
        if input.required {
            let (ty, value) = argument(input, ctx);
            args.push(quote! { #name: #ty });
            if input.ty == TypeRef::String {
                inits.push(quote! { #name: #value });
            } else {
                inits.push(quote! { #name });
            }
        } else {
            inits.push(quote! { #name: None });
        }
    }
    let route = format!(
        "`{} {}` (`{}`)",
        op.method.as_str(),
        inline(&op.path),
        inline(&op.id)
    );
    let mut notes = vec![route];
    if op.experimental {
        notes.push("Experimental: the client must be built with `experimental(true)`.".to_owned());
    }
    if op.deprecated {
        notes.push("Deprecated in the API.".to_owned());
    }
    let note_text = notes.join("\n\n");
    let docs = doc_paragraphs(&[
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(&note_text),
    ]);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    // Every required input is an argument, so none can be forgotten; a spec may require
    // more than clippy's threshold, and then this one method says it means it.
    let many = (args.len() + 1 > CLIPPY_ARGUMENTS_THRESHOLD)
        .then(|| quote! { #[allow(clippy::too_many_arguments)] });
    quote! {
        #docs
        #deprecated
        #many
        pub fn #fn_name(&self, #(#args),*) -> #builder {
            #builder {
                client: self.client.clone(),
                options: crate::runtime::CallOptions::default(),
                #(#inits,)*
            }
        }
    }
}

fn operation(api: &Api, op: &Operation, ctx: &TypeCtx) -> TokenStream {
    let const_name = const_name(op);
    let id = &op.id;
    let method = format_ident!("{}", op.method.as_str());
    let retry = if op.read_only {
        quote! { Safe }
    } else {
        quote! { ByMethod }
    };
    let path = &op.path;
    let base_path = &api.base_path;
    let experimental = op.experimental;
    let builder = ident(&op.builder_name);
    let fn_name = &op.fn_name;
    let builder_doc = format!(
        " Request builder for `{fn_name}` (`{} {}`).",
        op.method.as_str(),
        inline(path)
    );
    let inputs = inputs(op);
    let fields = inputs.iter().map(|input| {
        let name = ident(input.rust_name);
        let ty = ctx.ty(&input.ty);
        if input.required {
            quote! { #name: #ty, }
        } else {
            quote! { #name: Option<#ty>, }
        }
    });
    let setters = inputs
        .iter()
        .filter(|i| !i.required)
        .map(|input| setter(input, ctx));
    let build = build_request(api, op, &const_name);
    let (success_type, decode, response_enum) = success(op, ctx);
    let paginate = pagination(api, op, ctx, &const_name);
    let alternatives = op.alternatives.iter().map(alternative);
    let search_after = search_after(api, op, ctx, &const_name);
    quote! {
        static #const_name: crate::runtime::Operation = crate::runtime::Operation {
            id: #id,
            method: crate::runtime::Method::#method,
            path: #path,
            base_path: #base_path,
            experimental: #experimental,
            retry: crate::runtime::RetrySafety::#retry,
        };

        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        pub struct #builder {
            client: crate::Client,
            options: crate::runtime::CallOptions,
            #(#fields)*
        }

        impl #builder {
            #(#setters)*

            /// Timeout of each attempt of this call (default: the client's).
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// Retry policy of this call (default: the client's).
            pub fn retry_policy(mut self, policy: crate::runtime::RetryPolicy) -> Self {
                self.options.retry_policy = Some(policy);
                self
            }

            /// Whether this call may be sent again after an unknown outcome (default: the
            /// operation's; read-only POSTs such as search are safe).
            pub fn retry_safety(mut self, safety: crate::runtime::RetrySafety) -> Self {
                self.options.retry_safety = Some(safety);
                self
            }

            /// The request `send` would make. Send it with `Client::send` yourself to read
            /// the raw response (status, headers such as `X-Total-Count`, other media types)
            /// or to adjust it first (a header, a timeout).
            pub fn request(&self) -> crate::Result<crate::runtime::Request> {
                #build
            }

            /// Sends the request and decodes the response.
            pub async fn send(self) -> crate::Result<#success_type> {
                let request = self.request()?;
                let response = self.client.send(request).await?;
                #decode
            }

            #(#alternatives)*

            #paginate
            #search_after
        }

        #response_enum
    }
}

fn setter(input: &Input<'_>, ctx: &TypeCtx) -> TokenStream {
    let name = ident(input.rust_name);
    let (ty, value) = argument(input, ctx);
    let docs = doc(input.description);
    quote! {
        #docs
        pub fn #name(mut self, #name: #ty) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

/// Whether a type is written as plain text (`Display`) in a parameter: scalars and string
/// enums, through aliases. Everything else is sent as its JSON text.
fn is_text(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(name) => match api.types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Enum(_)) => true,
            Some(TypeKind::Alias(target)) => is_text(api, target),
            _ => false,
        },
        TypeRef::Vec(_)
        | TypeRef::Map(_)
        | TypeRef::Nullable(_)
        | TypeRef::File
        | TypeRef::Bytes => false,
        _ => true,
    }
}

/// Expression turning `value` (a reference) into the `String` sent on the wire.
fn to_wire(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote! { value.clone() },
        _ if is_text(api, ty) => quote! { value.to_string() },
        _ => quote! { request.json_text(value)? },
    }
}

/// Statements adding one parameter to `request`.
fn add_param(api: &Api, param: &Param) -> TokenStream {
    let field = ident(&param.rust_name);
    let name = &param.name;
    let call = |value_expr: TokenStream| match param.location {
        ParamLocation::Path => quote! { request.path_param(#name, &#value_expr); },
        ParamLocation::Query => quote! { request.query(#name, #value_expr); },
        ParamLocation::Header => quote! { request.header(#name, #value_expr); },
        ParamLocation::Cookie => {
            let prefix = format!("{name}=");
            quote! { request.header("Cookie", format!("{}{}", #prefix, #value_expr)); }
        }
    };
    let scalar = |ty: &TypeRef| to_wire(api, ty);
    let one = match &param.ty {
        TypeRef::Vec(item) if param.location == ParamLocation::Query && param.explode => {
            let wire = scalar(item);
            let add = call(wire);
            quote! {
                for value in value {
                    #add
                }
            }
        }
        TypeRef::Vec(item) if **item == TypeRef::String => call(quote! { value.join(",") }),
        TypeRef::Vec(item) => {
            let wire = scalar(item);
            call(quote! { value.iter().map(|value| #wire).collect::<Vec<_>>().join(",") })
        }
        // Path parameters take `&str`: a `String` needs no copy.
        TypeRef::String if param.location == ParamLocation::Path => {
            quote! { request.path_param(#name, value); }
        }
        ty => call(scalar(ty)),
    };
    if param.required {
        quote! {
            let value = &self.#field;
            #one
        }
    } else {
        quote! {
            if let Some(value) = &self.#field {
                #one
            }
        }
    }
}

fn build_request(api: &Api, op: &Operation, const_name: &Ident) -> TokenStream {
    let params = op.params.iter().map(|p| add_param(api, p));
    let body = op
        .body
        .as_ref()
        .map(|body| body_statements(api, body))
        .unwrap_or_default();
    let accept = op.accept.as_ref().map(|media_type| {
        quote! { request.header("Accept", #media_type.to_owned()); }
    });
    quote! {
        let mut request = crate::runtime::Request::new(&#const_name);
        #(#params)*
        #body
        #accept
        request.options(&self.options);
        Ok(request)
    }
}

fn body_statements(api: &Api, body: &crate::model::RequestBody) -> TokenStream {
    let required = body.required;
    let wrap = |stmt: TokenStream, field: &proc_macro2::Ident, is_required: bool| {
        if is_required {
            quote! { let value = &self.#field; #stmt }
        } else {
            quote! { if let Some(value) = &self.#field { #stmt } }
        }
    };
    let body_field = format_ident!("body");
    match &body.kind {
        BodyKind::Json(_) => {
            let ct = body.content_type.as_str();
            let stmt = match ct {
                "application/json" => quote! { request.json(value)?; },
                "application/json-patch+json" => quote! { request.json_patch(value)?; },
                other => quote! { request.json_as(#other, value)?; },
            };
            wrap(stmt, &body_field, required)
        }
        BodyKind::Bytes => {
            let ct = body.content_type.as_str();
            wrap(
                quote! { request.bytes(#ct, value.clone()); },
                &body_field,
                required,
            )
        }
        BodyKind::Multipart(parts) => {
            let adds = parts.iter().map(|part| {
                let field = ident(&part.rust_name);
                let name = &part.name;
                let stmt = match &part.ty {
                    TypeRef::File => quote! { form.file(#name, value.clone()); },
                    TypeRef::Vec(inner) if **inner == TypeRef::File => {
                        quote! { for file in value { form.file(#name, file.clone()); } }
                    }
                    ty => {
                        let wire = to_wire(api, ty);
                        quote! { form.text(#name, #wire); }
                    }
                };
                wrap(stmt, &field, part.required && required)
            });
            let binding = if parts.is_empty() {
                quote! { form }
            } else {
                quote! { mut form }
            };
            quote! {
                let #binding = crate::runtime::Multipart::new();
                #(#adds)*
                request.multipart(form);
            }
        }
        BodyKind::Form(parts) => {
            let adds = parts.iter().map(|part| {
                let field = ident(&part.rust_name);
                let name = &part.name;
                let wire = to_wire(api, &part.ty);
                wrap(
                    quote! { fields.push((#name.to_owned(), #wire)); },
                    &field,
                    part.required && required,
                )
            });
            if parts.is_empty() {
                return quote! { request.form(Vec::new()); };
            }
            quote! {
                let mut fields = Vec::new();
                #(#adds)*
                request.form(fields);
            }
        }
    }
}

/// A method sending the request for another media type of the success body
/// (`send_csv()` for `text/csv`): its bytes, or its text for `text/*`.
fn alternative(alt: &Alternative) -> TokenStream {
    let method = ident(&alt.method);
    let media_type = &alt.media_type;
    let (ty, call, what) = match alt.body {
        ResponseBody::Text => (quote! { String }, quote! { response.text() }, "text"),
        _ => (quote! { Vec<u8> }, quote! { response.bytes() }, "bytes"),
    };
    let doc_text = format!(
        " Sends the request asking for `{}` and returns the body's {what}.",
        inline(media_type)
    );
    quote! {
        #[doc = #doc_text]
        pub async fn #method(self) -> crate::Result<#ty> {
            let mut request = self.request()?;
            request.header("Accept", #media_type.to_owned());
            let response = self.client.send(request).await?;
            #call
        }
    }
}

fn body_type(body: &ResponseBody, ctx: &TypeCtx) -> TokenStream {
    match body {
        ResponseBody::Json(ty) => ctx.ty(ty),
        ResponseBody::Bytes => quote! { Vec<u8> },
        ResponseBody::Text => quote! { String },
    }
}

fn decode_call(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Json(_) => quote! { response.json() },
        ResponseBody::Bytes => quote! { response.bytes() },
        ResponseBody::Text => quote! { response.text() },
    }
}

/// Model bodies in a by-status enum are boxed: their sizes differ widely between statuses.
fn boxed_body(body: &ResponseBody) -> bool {
    matches!(body, ResponseBody::Json(TypeRef::Named(_)))
}

/// (return type, decoding statements, the by-status enum if any).
fn success(op: &Operation, ctx: &TypeCtx) -> (TokenStream, TokenStream, TokenStream) {
    match &op.success {
        Success::Empty => (
            quote! { () },
            quote! { response.empty() },
            TokenStream::new(),
        ),
        Success::Count => (
            quote! { u64 },
            quote! { response.count() },
            TokenStream::new(),
        ),
        Success::Single(body) => (body_type(body, ctx), decode_call(body), TokenStream::new()),
        Success::ByStatus { name, variants } => {
            let enum_name = ident(name);
            let enum_doc = format!(" What `{}` returns, by HTTP status.", op.fn_name);
            let decls = variants.iter().map(|v| {
                let variant = ident(&v.variant);
                let status_doc = format!(" HTTP {}.", v.status);
                match &v.body {
                    Some(body) if boxed_body(body) => {
                        let ty = body_type(body, ctx);
                        quote! { #[doc = #status_doc] #variant(Box<#ty>), }
                    }
                    Some(body) => {
                        let ty = body_type(body, ctx);
                        quote! { #[doc = #status_doc] #variant(#ty), }
                    }
                    None => quote! { #[doc = #status_doc] #variant, },
                }
            });
            let arm = |v: &crate::model::StatusVariant| {
                let variant = ident(&v.variant);
                match &v.body {
                    Some(body) if boxed_body(body) => {
                        let call = decode_call(body);
                        quote! { #call.map(|body| #enum_name::#variant(Box::new(body))) }
                    }
                    Some(body) => {
                        let call = decode_call(body);
                        quote! { #call.map(#enum_name::#variant) }
                    }
                    None => quote! { response.empty().map(|()| #enum_name::#variant) },
                }
            };
            // Statuses the spec does not list decode as the first one.
            let arms = variants.iter().skip(1).map(|v| {
                let status = v.status;
                let body = arm(v);
                quote! { #status => #body, }
            });
            let fallback = variants
                .first()
                .map(arm)
                .unwrap_or_else(|| quote! { response.empty() });
            let decode = quote! {
                match response.status() {
                    #(#arms)*
                    _ => #fallback,
                }
            };
            let enum_def = quote! {
                #[doc = #enum_doc]
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum #enum_name {
                    #(#decls)*
                }
            };
            (quote! { #enum_name }, decode, enum_def)
        }
    }
}

/// `i64` page offsets and sizes converted to the parameter's own integer type.
fn from_i64(ty: &TypeRef, expr: TokenStream) -> TokenStream {
    match ty {
        TypeRef::I32 => quote! { i32::try_from(#expr).unwrap_or(i32::MAX) },
        _ => expr,
    }
}

fn pagination(api: &Api, op: &Operation, ctx: &TypeCtx, const_name: &Ident) -> TokenStream {
    let Some(p) = &op.pagination else {
        return TokenStream::new();
    };
    if let Some(fields) = search_fields(api, op) {
        return search_pagination(p, ctx, const_name, &fields);
    }
    let item = ctx.ty(&p.item);
    let offset = ident(&p.offset_field);
    let limit = ident(&p.limit_field);
    let default_size = p.default_page_size;
    let offset_value = from_i64(&p.int_type, quote! { start + offset });
    let limit_value = from_i64(&p.int_type, quote! { limit });
    let count = ask_for_count(p);
    let doc_text = format!(
        " Streams every item from `offset` on (default 0), page by page; `limit` sets the page size (default {default_size}). Every item comes once, or the stream yields an error."
    );
    quote! {
        #[doc = #doc_text]
        pub fn paginate(self) -> impl futures::Stream<Item = crate::Result<#item>> {
            let page_size = self.#limit.map_or(#default_size, i64::from);
            let start = self.#offset.map_or(0, i64::from);
            crate::runtime::paginate(page_size, move |offset, limit| {
                let mut page = self.clone();
                page.#offset = Some(#offset_value);
                page.#limit = Some(#limit_value);
                #count
                async move {
                    let request = page.request()?;
                    page.client.send(request).await
                }
            })
        }
    }
}

/// Ask for the total (it ends the stream without an extra request) unless the caller
/// chose otherwise.
fn ask_for_count(p: &Pagination) -> Option<TokenStream> {
    p.count_field.as_ref().map(|c| {
        let c = ident(c);
        quote! { page.#c = page.#c.or(Some(true)); }
    })
}

/// The body's `sort` and `searchAfter` fields of a search operation.
struct SearchFields {
    sort: Ident,
    after: Ident,
}

fn search_fields(api: &Api, op: &Operation) -> Option<SearchFields> {
    let s = op.search_after.as_ref()?;
    let Some(TypeKind::Struct(body)) = api.types.get(&s.body_type).map(|t| &t.kind) else {
        return None;
    };
    let field = |json: &str| {
        body.fields
            .iter()
            .find(|f| f.name == json)
            .map(|f| ident(&f.rust_name))
    };
    Some(SearchFields {
        sort: field("sort")?,
        after: field("searchAfter")?,
    })
}

/// Offset paging of a search: offset pages up to the 10,000-result window, then
/// `searchAfter` pages when the body has a sort (the runtime decides).
fn search_pagination(
    p: &Pagination,
    ctx: &TypeCtx,
    const_name: &Ident,
    fields: &SearchFields,
) -> TokenStream {
    let item = ctx.ty(&p.item);
    let offset = ident(&p.offset_field);
    let limit = ident(&p.limit_field);
    let default_size = p.default_page_size;
    let offset_value = from_i64(&p.int_type, quote! { offset });
    let limit_value = from_i64(&p.int_type, quote! { limit });
    let count = ask_for_count(p);
    let SearchFields { sort, after } = fields;
    let doc_text = format!(
        " Streams every hit from `offset` on (default 0), page by page; `limit` sets the page size (default {default_size}). Past the 10,000 results offset paging can reach, it goes on with `searchAfter` when the body has a `sort`, and fails otherwise (use [`search_after`](Self::search_after)). Every hit comes once, or the stream yields an error."
    );
    quote! {
        #[doc = #doc_text]
        pub fn paginate(self) -> impl futures::Stream<Item = crate::Result<#item>> {
            let page_size = self.#limit.map_or(#default_size, i64::from);
            let start = self.#offset.map_or(0, i64::from);
            let sort = self.body.#sort.clone().unwrap_or_default();
            crate::runtime::paginate_search(&#const_name, page_size, start, sort, move |sort, next| {
                let mut page = self.clone();
                match next {
                    crate::runtime::SearchPage::Offset { offset, limit } => {
                        page.#offset = Some(#offset_value);
                        page.#limit = Some(#limit_value);
                        page.body.#after = None;
                    }
                    crate::runtime::SearchPage::After { search_after, limit } => {
                        page.#offset = None;
                        page.#limit = Some(#limit_value);
                        page.body.#after = Some(search_after);
                    }
                }
                if !sort.is_empty() {
                    page.body.#sort = Some(sort);
                }
                #count
                async move {
                    let request = page.request()?;
                    page.client.send(request).await
                }
            })
        }
    }
}

fn search_after(api: &Api, op: &Operation, ctx: &TypeCtx, const_name: &Ident) -> TokenStream {
    let (Some(s), Some(SearchFields { sort, after })) = (&op.search_after, search_fields(api, op))
    else {
        return TokenStream::new();
    };
    let item = ctx.ty(&s.item);
    // `searchAfter` replaces the offset: keeping one would skip documents on every page.
    let reset_offset = op
        .params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.name == "offset" && !p.required)
        .map(|p| {
            let field = ident(&p.rust_name);
            quote! { page.#field = None; }
        });
    let limit = match &s.limit_field {
        Some(l) => {
            let l = ident(l);
            quote! { self.#l.map(i64::from) }
        }
        None => quote! { None },
    };
    quote! {
        /// Streams every hit with `searchAfter` paging, past the 10,000 result limit of
        /// offset paging: the results are sorted by the body's `sort` plus `id`, and each
        /// page continues after the last hit of the one before. After an error, the
        /// stream's [`cursor`](crate::runtime::SearchAfter::cursor) resumes it through
        /// [`search_after_from`](Self::search_after_from).
        pub fn search_after(self) -> crate::runtime::SearchAfter<impl futures::Stream<Item = crate::Result<#item>>> {
            self.search_after_from(None)
        }

        /// [`search_after`](Self::search_after) from after `cursor`, the sort values of
        /// the last hit already seen (`None`: from the start).
        pub fn search_after_from(self, cursor: Option<Vec<String>>) -> crate::runtime::SearchAfter<impl futures::Stream<Item = crate::Result<#item>>> {
            let sort = self.body.#sort.clone().unwrap_or_default();
            let limit = #limit;
            crate::runtime::search_after_from(&#const_name, sort, limit, cursor, move |sort, after| {
                let mut page = self.clone();
                page.body.#sort = Some(sort);
                page.body.#after = after;
                #reset_offset
                async move {
                    let request = page.request()?;
                    page.client.send(request).await
                }
            })
        }
    }
}
