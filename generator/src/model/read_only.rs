//! POST operations that only read. HTTP calls a POST unsafe to repeat, so the runtime does
//! not retry one after an unknown outcome (a 502/503/504, a dropped connection); these
//! change nothing on the server, so repeating them is safe and they are generated with
//! `RetrySafety::Safe`. One entry per operationId, with what makes it read-only.

const READ_ONLY_POSTS: &[(&str, &str)] = &[
    // Search takes its query in the body; it returns documents and changes nothing.
    ("searchPost", "runs a search query"),
    ("searchCount", "counts the documents a search query matches"),
    (
        "searchAggregate",
        "aggregates over the documents a search query matches",
    ),
    // Reads password policy facts for an identity on its sources.
    ("queryPasswordInfo", "reads password information"),
    // Lists the accounts an access request could use; nothing is requested yet.
    ("loadAccountSelections", "reads account selections"),
    // Lists roles matching a metadata filter given in the body.
    ("searchRolesByFilter", "filters roles"),
    // Reads a sample of objects through a source's connector.
    ("searchResourceObjects", "peeks at resource objects"),
    // Evaluates a form's data source for a preview; no form is submitted.
    ("showPreviewDataSource", "previews a form data source"),
];

/// Whether the operation `id` is a POST that only reads.
pub fn is_read_only_post(id: &str) -> bool {
    READ_ONLY_POSTS.iter().any(|(entry, _)| *entry == id)
}
