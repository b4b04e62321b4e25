//! The 4 Search operations exist in `v3` and `v2024` with the same parameters, bodies
//! and examples; [`search_operation_tests!`] generates their tests for a version.
//! Needs `mod common;` and `mod ops;` in scope.

/// `search_operation_tests!(version)`: `version` is the module and base path (`v3`, `v2024`).
macro_rules! search_operation_tests {
    ($v:ident) => {
        const SEARCH_BASE: &str = concat!("/", stringify!($v));

        fn search_file(name: &str) -> String {
            format!("{}/paths/{name}", stringify!($v))
        }

        /// The documents of a plural example (`schemas/search/documents/examples/<name>.yaml`).
        fn documents_example(name: &str) -> Vec<serde_json::Value> {
            match ops::spec(
                &format!("{}/schemas/search/documents/examples/{name}.yaml", stringify!($v)),
                "/value",
            ) {
                serde_json::Value::Array(items) => items,
                other => panic!("not a list: {other}"),
            }
        }

        /// The kind (`_type`) and the id of a decoded search hit, by variant.
        fn kind_and_id(doc: &sailpoint_isc::$v::models::SearchDocuments) -> (&'static str, String) {
            use sailpoint_isc::$v::models::SearchDocuments as D;
            match doc {
                D::AccessProfileDocuments(d) => ("accessprofile", d.id.clone()),
                D::AccountActivityDocuments(d) => ("accountactivity", d.id.clone().unwrap()),
                D::EntitlementDocuments(d) => ("entitlement", d.id.clone()),
                D::EventDocuments(d) => ("event", d.id.clone().unwrap()),
                D::IdentityDocuments(d) => ("identity", d.id.clone()),
                D::RoleDocuments(d) => ("role", d.id.clone()),
                D::Unknown(v) => ("unknown", v["id"].as_str().unwrap().to_owned()),
                other => panic!("a document kind these tests do not know: {other:?}"),
            }
        }

        fn check_access_profile(doc: &sailpoint_isc::$v::models::SearchDocuments) {
            use sailpoint_isc::$v::models::{DocumentType, OwnerType, SearchDocuments};
            let SearchDocuments::AccessProfileDocuments(d) = doc else { panic!("{doc:?}") };
            assert_eq!(d.name, "Finance Reporting");
            assert_eq!(d.type_, Some(DocumentType::Accessprofile));
            assert_eq!(d.version.as_deref(), Some("v2"));
            let owner = d.owner.as_ref().unwrap();
            assert_eq!(owner.r#type, Some(OwnerType::Identity));
            assert_eq!(owner.email.as_deref(), Some("maria.kovacs@acme-corp.example"));
            assert_eq!(d.source.as_ref().unwrap().name.as_deref(), Some("SAP ERP"));
            let entitlements = d.entitlements.as_ref().unwrap();
            assert_eq!(entitlements.len(), 2);
            assert_eq!(entitlements[0].has_permissions, Some(true));
            assert_eq!(entitlements[1].value.as_deref(), Some("FIN_LEDGER_READ"));
            assert_eq!(d.entitlement_count, Some(2));
            assert_eq!(d.tags.as_deref(), Some(&["FINANCE".to_owned(), "SOX".to_owned()][..]));
            let app = &d.apps.as_ref().unwrap()[0];
            assert_eq!(app.name.as_deref(), Some("SAP Finance Portal"));
            assert_eq!(d.synced.as_ref().unwrap().parse().unwrap().year, 2024);
            assert_eq!((d.pod.as_deref(), d.org.as_deref()), (Some("prd04-useast1"), Some("acme")));
        }

        fn check_account_activity(doc: &sailpoint_isc::$v::models::SearchDocuments) {
            use sailpoint_isc::$v::models::{AttributeRequestValue, DocumentType, SearchDocuments};
            let SearchDocuments::AccountActivityDocuments(d) = doc else { panic!("{doc:?}") };
            assert_eq!(d.id.as_deref(), Some("af0f9b26534f03535afa83de92248eab"));
            assert_eq!(d.type_, Some(DocumentType::Accountactivity));
            assert_eq!(d.action.as_deref(), Some("Access Request"));
            assert_eq!(d.requester.as_ref().unwrap().name.as_deref(), Some("maria.kovacs"));
            assert_eq!(d.errors, None);
            let approval = &d.approvals.as_ref().unwrap()[0];
            let comment = &approval.comments.as_ref().unwrap()[0];
            assert_eq!(comment.comment.as_deref(), Some("Approved for the month-end close."));
            assert_eq!(
                comment.date.as_ref().unwrap().parse().unwrap().unix_timestamp(),
                1_709_546_320
            );
            assert_eq!(approval.result.as_deref(), Some("APPROVED"));
            let original = &d.original_requests.as_ref().unwrap()[0];
            assert_eq!(original.result.as_ref().unwrap().status.as_deref(), Some("Committed"));
            let expansion = &d.expansion_items.as_ref().unwrap()[0];
            assert_eq!(
                expansion.attribute_request.as_ref().unwrap().value,
                Some(AttributeRequestValue::Array(vec![
                    "FIN_LEDGER_READ".into(),
                    "FIN_REPORT_VIEW".into()
                ]))
            );
            let request = &d.account_requests.as_ref().unwrap()[0];
            assert_eq!(
                request.attribute_requests.as_ref().unwrap()[0].value,
                Some(AttributeRequestValue::String("FIN_LEDGER_READ".into()))
            );
            let result = request.result.as_ref().unwrap();
            assert_eq!((result.status.as_deref(), result.ticket_id.as_deref()), (Some("Committed"), None));
            assert_eq!(d.sources.as_deref(), Some("SAP ERP"));
        }

        fn check_entitlement(doc: &sailpoint_isc::$v::models::SearchDocuments) {
            use sailpoint_isc::$v::models::{DocumentType, SearchDocuments};
            let SearchDocuments::EntitlementDocuments(d) = doc else { panic!("{doc:?}") };
            assert_eq!(d.name, "FIN_LEDGER_READ");
            assert_eq!(d.type_, Some(DocumentType::Entitlement));
            assert_eq!(d.display_name.as_deref(), Some("Ledger read access"));
            assert_eq!(d.source.as_ref().unwrap().r#type.as_deref(), Some("SAP - Direct"));
            assert_eq!(d.privileged, Some(false));
            assert_eq!(d.hash.as_deref(), Some("4ef39f27bc1f8009946de7b68aae9881794234f3"));
            assert_eq!(d.attributes.as_ref().unwrap()["groupType"], "security");
            let fields = d.manually_updated_fields.as_ref().unwrap();
            assert_eq!((fields.description, fields.display_name), (Some(true), Some(false)));
            let permission = &d.permissions.as_ref().unwrap()[0];
            assert_eq!(permission.target.as_deref(), Some("GL_POSTINGS"));
            assert_eq!(
                permission.rights.as_deref(),
                Some(&["READ".to_owned(), "EXPORT".to_owned()][..])
            );
        }

        fn check_event(doc: &sailpoint_isc::$v::models::SearchDocuments) {
            use sailpoint_isc::$v::models::{DocumentType, SearchDocuments};
            let SearchDocuments::EventDocuments(d) = doc else { panic!("{doc:?}") };
            assert_eq!(d.name.as_deref(), Some("Process Access Request Passed"));
            assert_eq!(d.type_, Some(DocumentType::Event));
            assert_eq!(d.r#type.as_deref(), Some("ACCESS_ITEM"));
            assert_eq!(d.action.as_deref(), Some("ACCESS_REQUEST_PROCESSED"));
            assert_eq!(d.actor.as_ref().unwrap().name.as_deref(), Some("maria.kovacs"));
            assert_eq!(d.target.as_ref().unwrap().name.as_deref(), Some("jonas.berg"));
            assert_eq!(d.ip_address.as_deref(), Some("203.0.113.45"));
            assert_eq!(
                d.objects.as_deref(),
                Some(&["ACCESS".to_owned(), "REQUEST".to_owned()][..])
            );
            assert_eq!(d.version.as_deref(), Some("v7"));
        }

        fn check_identity(doc: &sailpoint_isc::$v::models::SearchDocuments) {
            use sailpoint_isc::$v::models::{DocumentType, IdentityAccess, SearchDocuments};
            let SearchDocuments::IdentityDocuments(d) = doc else { panic!("{doc:?}") };
            assert_eq!(d.name, "jonas.berg");
            assert_eq!(d.type_, Some(DocumentType::Identity));
            assert_eq!(d.display_name.as_deref(), Some("Jonas Berg"));
            assert_eq!(d.manager.as_ref().unwrap().display_name.as_deref(), Some("Maria Kovacs"));
            assert_eq!(d.identity_profile.as_ref().unwrap().name.as_deref(), Some("Employees"));
            assert_eq!(d.attributes.as_ref().unwrap()["department"], "Finance");
            assert_eq!(d.processing_state, None);
            let accounts = d.accounts.as_ref().unwrap();
            assert_eq!(accounts.len(), 2);
            assert_eq!(accounts[0].password_last_set, None);
            assert_eq!(
                accounts[1].entitlement_attributes.as_ref().unwrap()["memberOf"][1],
                "CN=VPN Users,OU=Groups,DC=acme,DC=local"
            );
            assert_eq!(
                accounts[1].source.as_ref().unwrap().r#type.as_deref(),
                Some("Active Directory - Direct")
            );
            let app = &d.apps.as_ref().unwrap()[0];
            assert_eq!(app.account.as_ref().unwrap().account_id.as_deref(), Some("jberg"));
            let access = d.access.as_ref().unwrap();
            let IdentityAccess::AccessProfileSummary(profile) = &access[0] else {
                panic!("{:?}", access[0])
            };
            assert_eq!(profile.name.as_deref(), Some("Finance Reporting"));
            assert_eq!(profile.revocable, Some(true));
            let IdentityAccess::EntitlementSummary(entitlement) = &access[1] else {
                panic!("{:?}", access[1])
            };
            assert_eq!(entitlement.attribute.as_deref(), Some("memberOf"));
            assert_eq!(entitlement.standalone, Some(true));
            let IdentityAccess::RoleSummary(role) = &access[2] else { panic!("{:?}", access[2]) };
            assert_eq!(role.owner.as_ref().unwrap().display_name.as_deref(), Some("Maria Kovacs"));
            assert_eq!(role.disabled, Some(false));
            let owns = &d.owns.as_ref().unwrap()[0];
            assert_eq!(
                owns.governance_groups.as_ref().unwrap()[0].name.as_deref(),
                Some("Finance Approvers")
            );
            assert_eq!(d.visible_segment_count, Some(1));
        }

        fn check_identity_with_processing_error(doc: &sailpoint_isc::$v::models::SearchDocuments) {
            use sailpoint_isc::$v::models::SearchDocuments;
            let SearchDocuments::IdentityDocuments(d) = doc else { panic!("{doc:?}") };
            assert_eq!(d.name, "priya.natarajan");
            assert_eq!(d.processing_state.as_deref(), Some("ERROR"));
            let details = d.processing_details.as_ref().unwrap();
            assert_eq!(details.stage.as_deref(), Some("Refresh"));
            assert_eq!(details.retry_count, Some(2));
            assert_eq!(details.date.as_ref().unwrap().as_str(), "2024-02-27T08:00:12.007Z");
            assert_eq!(d.visible_segments, None);
            assert_eq!(d.owns.as_ref().map(Vec::len), Some(0));
        }

        fn check_role(doc: &sailpoint_isc::$v::models::SearchDocuments) {
            use sailpoint_isc::$v::models::{DocumentType, SearchDocuments};
            let SearchDocuments::RoleDocuments(d) = doc else { panic!("{doc:?}") };
            assert_eq!(d.name, "Finance Analyst");
            assert_eq!(d.type_, Some(DocumentType::Role));
            assert_eq!(d.modified, None);
            assert_eq!(d.requestable, Some(false));
            assert_eq!(
                d.access_profiles.as_ref().unwrap()[0].name.as_deref(),
                Some("Finance Reporting")
            );
            assert_eq!(d.dimensional, Some(true));
            let dimension = &d.dimensions.as_ref().unwrap()[0];
            assert_eq!(dimension.name.as_deref(), Some("Finance Analyst - Denver"));
            assert_eq!(
                dimension.entitlements.as_ref().unwrap()[0].source_schema_object_type.as_deref(),
                Some("group")
            );
            assert_eq!(
                d.dimension_schema_attributes.as_ref().unwrap()[0].name.as_deref(),
                Some("location")
            );
        }

        /// (index, request example, response example, checks per returned document)
        type KindCase = (
            &'static str,
            &'static str,
            &'static str,
            &'static [fn(&sailpoint_isc::$v::models::SearchDocuments)],
        );

        const KINDS: &[KindCase] = &[
            ("accessprofiles", "accessProfiles", "accessProfiles", &[check_access_profile]),
            ("accountactivities", "accountActivities", "accountActivities", &[check_account_activity]),
            ("entitlements", "entitlements", "entitlements", &[check_entitlement]),
            ("events", "events", "events", &[check_event]),
            ("identities", "identities", "identities", &[check_identity, check_identity_with_processing_error]),
            ("roles", "roles", "roles", &[check_role]),
        ];

        #[tokio::test]
        async fn search_post_sends_query_and_body_and_decodes_each_document_kind() {
            use sailpoint_isc::$v::models::Search;
            let (server, client) = ops::start(false).await;
            let file = search_file("search-post.yaml");
            let api_path = format!("{SEARCH_BASE}/search");
            for (index, _, response, _) in KINDS {
                let body = ops::response_examples(&file, "post", 200, response);
                wiremock::Mock::given(wiremock::matchers::method("POST"))
                    .and(wiremock::matchers::path(api_path.as_str()))
                    .and(wiremock::matchers::body_partial_json(serde_json::json!({"indices": [index]})))
                    .respond_with(ops::json_response(200, &body).insert_header("X-Total-Count", "42"))
                    .expect(1)
                    .mount(&server)
                    .await;
            }

            for (index, request_name, response_name, checks) in KINDS {
                let request_body = ops::request_example(&file, "post", request_name);
                let documents = client
                    .$v()
                    .search()
                    .search_post(ops::decode::<Search>(&request_body))
                    .offset(10)
                    .limit(100)
                    .count(true)
                    .send()
                    .await
                    .unwrap();

                let requests = ops::api_requests(&server).await;
                let request = requests.last().unwrap();
                ops::assert_request(
                    request,
                    "POST",
                    &api_path,
                    &[("offset", "10"), ("limit", "100"), ("count", "true")],
                    false,
                );
                ops::assert_json_body(request, &request_body);
                assert_eq!(documents.len(), checks.len(), "{index}");
                for (document, check) in documents.iter().zip(checks.iter()) {
                    check(document);
                }
                let expected = ops::response_examples(&file, "post", 200, response_name);
                ops::assert_lossless(&documents, &expected);
            }

            ops::assert_seed_errors(
                "POST",
                &api_path,
                "searchPost",
                ops::ERRORS_WITHOUT_404,
                false,
                |client| async move { client.$v().search().search_post(Default::default()).send().await },
            )
            .await;
        }

        /// One document of every kind, as the spec examples show them.
        fn one_of_each_kind() -> Vec<serde_json::Value> {
            ["accessProfiles", "accountActivities", "entitlements", "events", "identities", "roles"]
                .iter()
                .map(|name| documents_example(name).swap_remove(0))
                .collect()
        }

        #[tokio::test]
        async fn search_post_picks_each_variant_by_type_in_a_mixed_result() {
            use sailpoint_isc::$v::models::{Index, Search, SearchDocuments};
            let (server, client) = ops::start(false).await;
            let mut hits = one_of_each_kind();
            // A kind the seed page lists but the spec's DocumentType does not know.
            hits.push(serde_json::json!({
                "id": "2c91808c7b1e3f6a017b1e4d7a2b0001",
                "name": "jberg",
                "_type": "account",
                "pod": "prd04-useast1",
                "org": "acme"
            }));
            let api_path = format!("{SEARCH_BASE}/search");
            ops::mount(&server, "POST", &api_path, ops::json_response(200, &serde_json::json!(hits))).await;

            let search = Search {
                indices: Some(vec![Index::Star]),
                query: Some(sailpoint_isc::$v::models::Query {
                    query: Some("jberg OR \"Finance\"".into()),
                    ..Default::default()
                }),
                ..Default::default()
            };
            let documents = client.$v().search().search_post(search).send().await.unwrap();

            let request = ops::only_api_request(&server).await;
            ops::assert_request(&request, "POST", &api_path, &[], false);
            ops::assert_json_body(
                &request,
                &serde_json::json!({"indices": ["*"], "query": {"query": "jberg OR \"Finance\""}}),
            );
            let kinds: Vec<_> = documents.iter().map(|d| kind_and_id(d).0).collect();
            assert_eq!(
                kinds,
                ["accessprofile", "accountactivity", "entitlement", "event", "identity", "role", "unknown"]
            );
            check_access_profile(&documents[0]);
            check_account_activity(&documents[1]);
            check_entitlement(&documents[2]);
            check_event(&documents[3]);
            check_identity(&documents[4]);
            check_role(&documents[5]);
            let SearchDocuments::Unknown(account) = &documents[6] else { panic!() };
            assert_eq!(account["_type"], "account");
            ops::assert_lossless(&documents, &serde_json::json!(hits));
        }

        #[tokio::test]
        async fn every_search_request_example_is_sent_unchanged() {
            use sailpoint_isc::$v::models::Search;
            let (server, client) = ops::start(false).await;
            for (file, verb_path, status) in [
                ("search-post.yaml", "/search", 200),
                ("search-aggregate.yaml", "/search/aggregate", 200),
                ("search-count.yaml", "/search/count", 204),
            ] {
                let api_path = format!("{SEARCH_BASE}{verb_path}");
                let names = ops::request_example_names(&search_file(file), "post");
                assert!(names.len() >= 3, "{file}: {names:?}");
                let response = match status {
                    204 => wiremock::ResponseTemplate::new(204).insert_header("X-Total-Count", "7"),
                    _ if verb_path == "/search" => ops::json_response(200, &serde_json::json!([])),
                    _ => ops::json_response(200, &serde_json::json!({})),
                };
                wiremock::Mock::given(wiremock::matchers::method("POST"))
                    .and(wiremock::matchers::path(api_path.as_str()))
                    .respond_with(response)
                    .expect(names.len() as u64)
                    .mount(&server)
                    .await;
                for name in &names {
                    let example = ops::request_example(&search_file(file), "post", name);
                    let search: Search = ops::decode(&example);
                    let search_api = client.$v().search();
                    match verb_path {
                        "/search" => drop(search_api.search_post(search).send().await.unwrap()),
                        "/search/aggregate" => {
                            drop(search_api.search_aggregate(search).send().await.unwrap())
                        }
                        _ => assert_eq!(search_api.search_count(search).send().await.unwrap(), 7),
                    }
                    let requests = ops::api_requests(&server).await;
                    let request = requests.last().unwrap();
                    ops::assert_request(request, "POST", &api_path, &[], false);
                    ops::assert_json_body(request, &example);
                }
            }
        }

        #[tokio::test]
        async fn search_after_pages_across_boundaries_without_duplicates_or_gaps() {
            use futures::TryStreamExt;
            use sailpoint_isc::$v::models::Search;
            let (server, client) = ops::start(false).await;
            let mut docs = one_of_each_kind();
            docs.push(documents_example("identities").swap_remove(1));
            // Two more events created at the same instant as the example event, with ids
            // sorting before and after it: the `id` tie-breaker must split them correctly.
            let event = docs[3].clone();
            for id in ["10000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000002"] {
                let mut twin = event.clone();
                twin["id"] = serde_json::json!(id);
                docs.push(twin);
            }
            let mut expected: Vec<(String, String, String)> = docs
                .iter()
                .map(|d| {
                    (
                        d["created"].as_str().unwrap().to_owned(),
                        d["id"].as_str().unwrap().to_owned(),
                        d["_type"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            expected.sort();
            wiremock::Mock::given(wiremock::matchers::method("POST"))
                .and(wiremock::matchers::path(format!("{SEARCH_BASE}/search")))
                .respond_with(ops::SearchAfterEndpoint { docs })
                .expect(5)
                .mount(&server)
                .await;

            let search: Search = ops::decode(&serde_json::json!({
                "indices": ["*"],
                "query": {"query": "attributes.department:Finance OR source.name:\"SAP ERP\""},
                "sort": ["created"]
            }));
            let documents: Vec<_> = client
                .$v()
                .search()
                .search_post(search)
                .limit(2)
                .search_after()
                .try_collect()
                .await
                .unwrap();

            let got: Vec<(String, String)> = documents
                .iter()
                .map(|d| {
                    let (kind, id) = kind_and_id(d);
                    (id, kind.to_owned())
                })
                .collect();
            let want: Vec<(String, String)> =
                expected.iter().map(|(_, id, kind)| (id.clone(), kind.clone())).collect();
            assert_eq!(got, want, "every document once, in sort order, decoded by _type");

            // 9 documents, pages of 2: four full pages and a short fifth one.
            let requests = ops::api_requests(&server).await;
            assert_eq!(requests.len(), 5);
            for (page, request) in requests.iter().enumerate() {
                ops::assert_request(request, "POST", &format!("{SEARCH_BASE}/search"), &[("limit", "2")], false);
                let mut body = serde_json::json!({
                    "indices": ["*"],
                    "query": {"query": "attributes.department:Finance OR source.name:\"SAP ERP\""},
                    "sort": ["created", "id"]
                });
                if page > 0 {
                    let (created, id, _) = &expected[page * 2 - 1];
                    body["searchAfter"] = serde_json::json!([created, id]);
                }
                ops::assert_json_body(request, &body);
            }
        }

        /// `paginate()` pages by offset up to the 10,000-result window, then goes on with
        /// `searchAfter` from the last hit: every document once, none lost at the window.
        #[tokio::test]
        async fn paginate_goes_past_the_10000_window_with_search_after() {
            use futures::TryStreamExt;
            use sailpoint_isc::$v::models::Search;
            let (server, client) = ops::start(false).await;
            let template = documents_example("identities").swap_remove(1);
            let docs: Vec<serde_json::Value> = (0..10_300)
                .map(|i| {
                    let mut doc = template.clone();
                    doc["id"] = serde_json::json!(format!("id-{i:05}"));
                    doc
                })
                .collect();
            wiremock::Mock::given(wiremock::matchers::method("POST"))
                .and(wiremock::matchers::path(format!("{SEARCH_BASE}/search")))
                .respond_with(ops::SearchAfterEndpoint { docs })
                .mount(&server)
                .await;
            let search: Search = ops::decode(&serde_json::json!({
                "indices": ["identities"],
                "query": {"query": "*"},
                "sort": ["id"]
            }));
            let documents: Vec<_> = client
                .$v()
                .search()
                .search_post(search)
                .limit(1_000)
                .paginate()
                .try_collect()
                .await
                .unwrap();
            let ids: Vec<String> = documents.iter().map(|d| kind_and_id(d).1).collect();
            let want: Vec<String> = (0..10_300).map(|i| format!("id-{i:05}")).collect();
            assert_eq!(ids, want, "every document once, in order, across the window");
            let requests = ops::api_requests(&server).await;
            let after_pages = requests
                .iter()
                .filter(|r| r.body_json::<serde_json::Value>().unwrap().get("searchAfter").is_some())
                .count();
            assert!(after_pages >= 1, "pages past the window use searchAfter");
            assert!(
                requests.iter().all(|r| ops::query_pairs(r).iter().all(|(k, v)| k != "offset" || v.parse::<usize>().unwrap() < 10_000)),
                "no offset page is asked past the window"
            );
        }

        /// Search only reads, so a 503 is retried although it is a POST.
        #[tokio::test]
        async fn search_is_retried_after_a_503_but_not_when_the_call_says_so() {
            use sailpoint_isc::$v::models::Search;
            let (server, client) = ops::start(false).await;
            let search: Search = ops::decode(&serde_json::json!({"indices": ["identities"], "query": {"query": "*"}}));
            wiremock::Mock::given(wiremock::matchers::method("POST"))
                .and(wiremock::matchers::path(format!("{SEARCH_BASE}/search")))
                .respond_with(wiremock::ResponseTemplate::new(503))
                .up_to_n_times(1)
                .with_priority(1)
                .mount(&server)
                .await;
            wiremock::Mock::given(wiremock::matchers::method("POST"))
                .and(wiremock::matchers::path(format!("{SEARCH_BASE}/search")))
                .respond_with(ops::json_response(200, &serde_json::json!([])))
                .mount(&server)
                .await;
            let found = client.$v().search().search_post(search.clone()).send().await.unwrap();
            assert!(found.is_empty());
            assert_eq!(ops::api_requests(&server).await.len(), 2, "one 503, then the retry");

            server.reset().await;
            wiremock::Mock::given(wiremock::matchers::method("POST"))
                .and(wiremock::matchers::path(format!("{SEARCH_BASE}/search")))
                .respond_with(wiremock::ResponseTemplate::new(503))
                .mount(&server)
                .await;
            let error = client
                .$v()
                .search()
                .search_post(search)
                .retry_safety(sailpoint_isc::runtime::RetrySafety::Unsafe)
                .send()
                .await
                .unwrap_err();
            assert_eq!(error.status(), Some(503));
            assert_eq!(ops::api_requests(&server).await.len(), 1, "not repeated when the call forbids it");
        }

        #[tokio::test]
        async fn search_after_sends_no_offset_after_the_first_page() {
            use futures::TryStreamExt;
            let (server, client) = ops::start(false).await;
            wiremock::Mock::given(wiremock::matchers::method("POST"))
                .and(wiremock::matchers::path(format!("{SEARCH_BASE}/search")))
                .respond_with(ops::SearchAfterEndpoint { docs: one_of_each_kind() })
                .mount(&server)
                .await;
            let search = sailpoint_isc::$v::models::Search {
                sort: Some(vec!["created".into()]),
                ..Default::default()
            };
            let _: Vec<_> = client
                .$v()
                .search()
                .search_post(search)
                .offset(1)
                .limit(2)
                .search_after()
                .try_collect()
                .await
                .unwrap();
            let requests = ops::api_requests(&server).await;
            assert!(requests.len() > 1);
            for request in &requests[1..] {
                let query = ops::query_pairs(request);
                assert!(
                    !query.iter().any(|(k, _)| k == "offset"),
                    "offset sent with searchAfter: {query:?}"
                );
            }
        }

        #[tokio::test]
        async fn search_count_sends_the_body_and_returns_the_count() {
            use sailpoint_isc::$v::models::Search;
            let (server, client) = ops::start(false).await;
            let file = search_file("search-count.yaml");
            let body = ops::request_example(&file, "post", "query-identities");
            let api_path = format!("{SEARCH_BASE}/search/count");
            ops::mount(
                &server,
                "POST",
                &api_path,
                wiremock::ResponseTemplate::new(204).insert_header("X-Total-Count", "42"),
            )
            .await;

            // The count is in X-Total-Count; `send()` returns it.
            let count = client
                .$v()
                .search()
                .search_count(ops::decode::<Search>(&body))
                .send()
                .await
                .unwrap();
            assert_eq!(count, 42);

            let request = ops::only_api_request(&server).await;
            ops::assert_request(&request, "POST", &api_path, &[], false);
            ops::assert_json_body(&request, &body);

            ops::assert_seed_errors(
                "POST",
                &api_path,
                "searchCount",
                ops::ERRORS_WITHOUT_404,
                false,
                |client| async move { client.$v().search().search_count(Default::default()).send().await },
            )
            .await;
        }

        /// The aggregation also comes as CSV: `send_csv()` asks for it and returns the text.
        #[tokio::test]
        async fn search_aggregate_as_csv_asks_for_csv_and_returns_the_text() {
            let (server, client) = ops::start(false).await;
            let api_path = format!("{SEARCH_BASE}/search/aggregate");
            let csv = "source.name,count\nSAP ERP,12\n";
            ops::mount(
                &server,
                "POST",
                &api_path,
                wiremock::ResponseTemplate::new(200).set_body_raw(csv, "text/csv"),
            )
            .await;
            let text = client
                .$v()
                .search()
                .search_aggregate(Default::default())
                .send_csv()
                .await
                .unwrap();
            assert_eq!(text, csv);
            let request = ops::only_api_request(&server).await;
            assert_eq!(ops::header_values(&request, "accept"), ["text/csv"]);
        }

        /// A count answer without its header is an error naming the operation.
        #[tokio::test]
        async fn search_count_without_the_count_header_is_an_error() {
            let (server, client) = ops::start(false).await;
            let api_path = format!("{SEARCH_BASE}/search/count");
            ops::mount(&server, "POST", &api_path, wiremock::ResponseTemplate::new(204)).await;
            let error = client
                .$v()
                .search()
                .search_count(Default::default())
                .send()
                .await
                .unwrap_err();
            let text = error.to_string();
            assert!(text.contains("searchCount") && text.contains("X-Total-Count"), "{text}");
        }

        #[tokio::test]
        async fn search_aggregate_sends_query_and_body_and_decodes_aggregations_and_hits() {
            use sailpoint_isc::$v::models::Search;
            let (server, client) = ops::start(false).await;
            let file = search_file("search-aggregate.yaml");
            let body = ops::request_example(&file, "post", "bucketAggregation");
            let example = ops::response_example(&file, "post", 200);
            let api_path = format!("{SEARCH_BASE}/search/aggregate");
            ops::mount(&server, "POST", &api_path, ops::json_response(200, &example)).await;

            let result = client
                .$v()
                .search()
                .search_aggregate(ops::decode::<Search>(&body))
                .offset(0)
                .limit(1)
                .count(true)
                .send()
                .await
                .unwrap();

            let request = ops::only_api_request(&server).await;
            ops::assert_request(
                &request,
                "POST",
                &api_path,
                &[("offset", "0"), ("limit", "1"), ("count", "true")],
                false,
            );
            ops::assert_json_body(&request, &body);
            let aggregations = result.aggregations.as_ref().unwrap();
            assert_eq!(aggregations["Departments"]["buckets"][1]["key"], "Finance");
            assert_eq!(aggregations["Departments"]["buckets"][1]["doc_count"], 42);
            let hits = result.hits.as_ref().unwrap();
            assert_eq!(hits.len(), 1);
            check_identity(&hits[0]);
            ops::assert_lossless(&result, &example);

            ops::assert_seed_errors(
                "POST",
                &api_path,
                "searchAggregate",
                ops::ERRORS_WITHOUT_404,
                false,
                |client| async move { client.$v().search().search_aggregate(Default::default()).send().await },
            )
            .await;
        }

        /// (path index, example name, id in the example)
        const GET_CASES: &[(&str, &str, &str)] = &[
            ("accessprofiles", "accessProfile", "46fb3e8531179fb8b491e6a1ba286bd0"),
            ("accountactivities", "accountActivity", "af0f9b26534f03535afa83de92248eab"),
            ("entitlements", "entitlement", "f6f479a00bc10af97cc8fc335fdedc0b"),
            ("events", "event", "92f9f927-5b61-445c-a93f-841066a3b272"),
            ("identities", "identity", "411e2e72c2a0affa45467a1810dd3427"),
            ("roles", "role", "f48ceeab4e1aaafb2f67646754cf2f3c"),
        ];

        fn search_get_index(index: &str) -> sailpoint_isc::$v::models::SearchGetIndex {
            sailpoint_isc::$v::models::SearchGetIndex::from(index)
        }

        /// Calls searchGet for every index with the spec's example document.
        async fn search_get_all() -> Vec<(&'static str, sailpoint_isc::$v::models::SearchDocument, serde_json::Value)> {
            let (server, client) = ops::start(false).await;
            let file = search_file("search-get.yaml");
            let mut results = Vec::new();
            for (index, example_name, id) in GET_CASES {
                let example = ops::response_examples(&file, "get", 200, example_name);
                assert_eq!(example["id"], *id);
                let api_path = format!("{SEARCH_BASE}/search/{index}/{id}");
                ops::mount(&server, "GET", &api_path, ops::json_response(200, &example)).await;
                let document = client
                    .$v()
                    .search()
                    .search_get(search_get_index(index), *id)
                    .send()
                    .await
                    .unwrap();
                let requests = ops::api_requests(&server).await;
                let request = requests.last().unwrap();
                ops::assert_request(request, "GET", &api_path, &[], false);
                ops::assert_no_body(request);
                results.push((*index, document, example));
            }
            results
        }

        #[tokio::test]
        async fn search_get_sends_index_and_id_and_decodes_each_index_into_its_own_variant() {
            use sailpoint_isc::$v::models::SearchDocument as D;
            // SearchDocument is a oneOf without discriminator whose variants overlap (only
            // `id` and `name` are required): each document must still land in its own kind.
            let mut wrong = Vec::new();
            let mut documents = Vec::new();
            for (index, document, example) in search_get_all().await {
                let ok = match (index, &document) {
                    ("accessprofiles", D::AccessProfileDocument(d)) => {
                        d.name == "Finance Reporting" && d.apps.as_ref().is_some_and(|a| a.len() == 1)
                    }
                    ("accountactivities", D::AccountActivitySearchedItem(d)) => {
                        d.action.as_deref() == Some("Access Request")
                    }
                    ("entitlements", D::EntitlementDocument(d)) => {
                        d.permissions.as_ref().is_some_and(|p| p.len() == 1)
                    }
                    ("events", D::Event(d)) => d.ip_address.as_deref() == Some("203.0.113.45"),
                    ("identities", D::IdentityDocument(d)) => {
                        d.access.as_ref().is_some_and(|a| a.len() == 3)
                    }
                    ("roles", D::RoleDocument(d)) => d.dimensional == Some(true),
                    _ => false,
                };
                if !ok {
                    let variant = format!("{document:?}");
                    wrong.push(format!("{index} -> {}", variant.split('(').next().unwrap()));
                }
                documents.push((document, example));
            }
            assert!(wrong.is_empty(), "wrong variants: {wrong:?}");
            for (document, example) in &documents {
                ops::assert_lossless(document, example);
            }

            ops::assert_seed_errors(
                "GET",
                &format!("{SEARCH_BASE}/search/identities/411e2e72c2a0affa45467a1810dd3427"),
                "searchGet",
                ops::ALL_ERRORS,
                false,
                |client| async move {
                    client
                        .$v()
                        .search()
                        .search_get(search_get_index("identities"), "411e2e72c2a0affa45467a1810dd3427")
                        .send()
                        .await
                },
            )
            .await;
        }
    };
}
