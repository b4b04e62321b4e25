//! The 11 Identities operations exist in `beta` and `v2024` with the same parameters,
//! bodies and examples; [`identities_operation_tests!`] generates one test per operation
//! for a version. Differences (the experimental header, `type` on references in v2024)
//! are arguments or compared as JSON. Needs `mod common;` and `mod ops;` in scope.

/// `identities_operation_tests!(version, experimental)`: `version` is the module and
/// base path (`beta`, `v2024`), `experimental` whether the operations are experimental
/// (then the client is built with `experimental(true)` and the header is asserted).
macro_rules! identities_operation_tests {
    ($v:ident, $experimental:expr) => {
        const BASE: &str = concat!("/", stringify!($v));
        const EXPERIMENTAL: bool = $experimental;

        fn spec_file(name: &str) -> String {
            format!("{}/paths/{name}", stringify!($v))
        }

        fn assert_identity_jonas(identity: &sailpoint_isc::$v::models::Identity) {
            use sailpoint_isc::$v::models::{IdentityIdentityStatus, IdentityManagerRefType};
            assert_eq!(identity.id.as_deref(), Some("411e2e72c2a0affa45467a1810dd3427"));
            assert_eq!(identity.name, "Jonas Berg");
            let created = identity.created.as_ref().unwrap();
            assert_eq!(created.as_str(), "2023-01-09T15:02:44.310Z");
            let parsed = created.parse().unwrap();
            assert_eq!(
                (parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second),
                (2023, 1, 9, 15, 2, 44)
            );
            assert_eq!((parsed.nanosecond, parsed.offset_minutes), (310_000_000, 0));
            assert_eq!(
                identity.modified.as_ref().map(|d| d.as_str()),
                Some("2024-03-02T11:20:05.918Z")
            );
            assert_eq!(identity.alias.as_deref(), Some("jberg"));
            assert_eq!(
                identity.email_address.as_deref(),
                Some("jonas.berg@acme-corp.example")
            );
            assert_eq!(identity.processing_state, None);
            assert_eq!(identity.identity_status, Some(IdentityIdentityStatus::Active));
            let manager = identity.manager_ref.as_ref().unwrap();
            assert_eq!(manager.r#type, Some(IdentityManagerRefType::Identity));
            assert_eq!(manager.id.as_deref(), Some("33cccee46ef933d54576fb44ec4eb1b0"));
            assert_eq!(manager.name.as_deref(), Some("Maria Kovacs"));
            assert_eq!(identity.is_manager, Some(false));
            let refreshed = identity.last_refresh.as_ref().unwrap().parse().unwrap();
            assert_eq!(refreshed.unix_timestamp(), 1_709_668_831);
            let attributes = identity.attributes.as_ref().unwrap();
            assert_eq!(attributes["department"], "Finance");
            assert_eq!(attributes["cloudStatus"], "ACTIVE");
            let lifecycle = identity.lifecycle_state.as_ref().unwrap();
            assert_eq!(lifecycle.state_name, "active");
            assert!(!lifecycle.manually_updated);
        }

        #[tokio::test]
        async fn list_identities_sends_every_query_parameter_and_decodes_the_page() {
            use sailpoint_isc::$v::models::{
                IdentityIdentityStatus, IdentityProcessingState, ListIdentitiesDefaultFilter,
            };
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let example = ops::response_example(&spec_file("identities.yaml"), "get", 200);
            ops::mount(
                &server,
                "GET",
                &format!("{BASE}/identities"),
                ops::json_response(200, &example).insert_header("X-Total-Count", "2"),
            )
            .await;

            let identities = client
                .$v()
                .identities()
                .list_identities()
                .filters(r#"email sw "jonas" or processingState eq "ERROR""#)
                .sorters("-alias,name")
                .default_filter(ListIdentitiesDefaultFilter::None)
                .count(true)
                .limit(2)
                .offset(4)
                .send()
                .await
                .unwrap();

            let request = ops::only_api_request(&server).await;
            ops::assert_request(
                &request,
                "GET",
                &format!("{BASE}/identities"),
                &[
                    ("filters", r#"email sw "jonas" or processingState eq "ERROR""#),
                    ("sorters", "-alias,name"),
                    ("defaultFilter", "NONE"),
                    ("count", "true"),
                    ("limit", "2"),
                    ("offset", "4"),
                ],
                EXPERIMENTAL,
            );
            ops::assert_no_body(&request);

            assert_eq!(identities.len(), 2);
            assert_identity_jonas(&identities[0]);
            let priya = &identities[1];
            assert_eq!(priya.name, "Priya Natarajan");
            assert_eq!(priya.email_address, None, "null email");
            assert_eq!(priya.manager_ref, None, "null manager");
            assert_eq!(priya.processing_state, Some(IdentityProcessingState::Error));
            assert_eq!(
                priya.identity_status,
                Some(IdentityIdentityStatus::Unregistered)
            );
            let lifecycle = priya.lifecycle_state.as_ref().unwrap();
            assert_eq!((lifecycle.state_name.as_str(), lifecycle.manually_updated), ("prehire", true));
            ops::assert_lossless(&identities, &example);

            ops::assert_seed_errors(
                "GET",
                &format!("{BASE}/identities"),
                "listIdentities",
                ops::ERRORS_WITHOUT_404,
                EXPERIMENTAL,
                |client| async move { client.$v().identities().list_identities().send().await },
            )
            .await;
        }

        /// Six identities shaped like the spec example, with ids `id-0` .. `id-5`.
        fn six_identities() -> Vec<serde_json::Value> {
            let example = ops::response_example(&spec_file("identities.yaml"), "get", 200);
            (0..6)
                .map(|i| {
                    let mut identity = example[i % 2].clone();
                    identity["id"] = serde_json::json!(format!("id-{i}"));
                    identity["name"] = serde_json::json!(format!("Identity {i}"));
                    identity
                })
                .collect()
        }

        async fn sent_offsets_and_limits(server: &wiremock::MockServer) -> Vec<Vec<(String, String)>> {
            ops::api_requests(server)
                .await
                .iter()
                .map(|r| {
                    assert_eq!(r.url.path(), format!("{BASE}/identities"));
                    let flag = ops::header_values(r, "x-sailpoint-experimental");
                    assert_eq!(!flag.is_empty(), EXPERIMENTAL);
                    ops::query_pairs(r)
                })
                .collect()
        }

        #[tokio::test]
        async fn list_identities_paginate_walks_every_page_in_order() {
            use futures::TryStreamExt;
            let (server, client) = ops::start(EXPERIMENTAL).await;
            wiremock::Mock::given(wiremock::matchers::method("GET"))
                .and(wiremock::matchers::path(format!("{BASE}/identities")))
                .respond_with(ops::OffsetList { items: six_identities() })
                .expect(3)
                .mount(&server)
                .await;

            let identities: Vec<_> = client
                .$v()
                .identities()
                .list_identities()
                .filters("name sw \"Identity\"")
                .sorters("name")
                .limit(2)
                .paginate()
                .try_collect()
                .await
                .unwrap();

            let ids: Vec<_> = identities.iter().map(|i| i.id.clone().unwrap()).collect();
            assert_eq!(ids, ["id-0", "id-1", "id-2", "id-3", "id-4", "id-5"]);
            assert_eq!(identities[5].name, "Identity 5");
            assert_eq!(identities[5].lifecycle_state.as_ref().unwrap().state_name, "prehire");
            let page = |offset: &str| {
                vec![
                    ("count".to_owned(), "true".to_owned()),
                    ("filters".to_owned(), "name sw \"Identity\"".to_owned()),
                    ("limit".to_owned(), "2".to_owned()),
                    ("offset".to_owned(), offset.to_owned()),
                    ("sorters".to_owned(), "name".to_owned()),
                ]
            };
            // X-Total-Count (6) ends the stream after the third full page: no fourth request.
            assert_eq!(
                sent_offsets_and_limits(&server).await,
                [page("0"), page("2"), page("4")]
            );
        }

        #[tokio::test]
        async fn list_identities_paginate_starts_at_the_given_offset() {
            use futures::TryStreamExt;
            let (server, client) = ops::start(EXPERIMENTAL).await;
            wiremock::Mock::given(wiremock::matchers::method("GET"))
                .and(wiremock::matchers::path(format!("{BASE}/identities")))
                .respond_with(ops::OffsetList { items: six_identities() })
                .expect(2)
                .mount(&server)
                .await;

            let identities: Vec<_> = client
                .$v()
                .identities()
                .list_identities()
                .offset(3)
                .limit(2)
                .paginate()
                .try_collect()
                .await
                .unwrap();

            let ids: Vec<_> = identities.iter().map(|i| i.id.clone().unwrap()).collect();
            assert_eq!(ids, ["id-3", "id-4", "id-5"]);
            let offsets: Vec<String> = sent_offsets_and_limits(&server)
                .await
                .iter()
                .map(|q| q.iter().find(|(k, _)| k == "offset").unwrap().1.clone())
                .collect();
            assert_eq!(offsets, ["3", "5"]);
        }

        #[tokio::test]
        async fn get_identity_sends_the_id_in_the_path_and_decodes_the_identity() {
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let example = ops::response_example(&spec_file("identity.yaml"), "get", 200);
            let api_path = format!("{BASE}/identities/411e2e72c2a0affa45467a1810dd3427");
            ops::mount(&server, "GET", &api_path, ops::json_response(200, &example)).await;

            let identity = client
                .$v()
                .identities()
                .get_identity("411e2e72c2a0affa45467a1810dd3427")
                .send()
                .await
                .unwrap();

            let request = ops::only_api_request(&server).await;
            ops::assert_request(&request, "GET", &api_path, &[], EXPERIMENTAL);
            ops::assert_no_body(&request);
            assert_identity_jonas(&identity);
            ops::assert_lossless(&identity, &example);

            ops::assert_seed_errors(
                "GET",
                &format!("{BASE}/identities/a%20b%2Fc"),
                "getIdentity",
                ops::ALL_ERRORS,
                EXPERIMENTAL,
                |client| async move { client.$v().identities().get_identity("a b/c").send().await },
            )
            .await;
        }

        #[tokio::test]
        async fn delete_identity_sends_delete_and_accepts_204() {
            let api_path = format!("{BASE}/identities/411e2e72c2a0affa45467a1810dd3427");
            ops::assert_bodyless_call("DELETE", &api_path, 204, EXPERIMENTAL, |client| async move {
                client.$v().identities().delete_identity("411e2e72c2a0affa45467a1810dd3427").send().await
            })
            .await;

            // 400 has its own body (IdentityAssociationDetails), see the next test.
            ops::assert_seed_errors(
                "DELETE",
                &api_path,
                "deleteIdentity",
                &[401, 403, 404, 429, 500],
                EXPERIMENTAL,
                |client| async move {
                    client
                        .$v()
                        .identities()
                        .delete_identity("411e2e72c2a0affa45467a1810dd3427")
                        .send()
                        .await
                },
            )
            .await;
        }

        async fn delete_identity_400() -> (sailpoint_isc::Error, serde_json::Value) {
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let example = ops::response_example(&spec_file("identity.yaml"), "delete", 400);
            let api_path = format!("{BASE}/identities/f48ceeab4e1aaafb2f67646754cf2f3c");
            ops::mount(&server, "DELETE", &api_path, ops::json_response(400, &example)).await;
            let error = client
                .$v()
                .identities()
                .delete_identity("f48ceeab4e1aaafb2f67646754cf2f3c")
                .send()
                .await
                .unwrap_err();
            (error, example)
        }

        #[tokio::test]
        async fn delete_identity_400_keeps_the_identity_association_details() {
            let (error, example) = delete_identity_400().await;
            assert_eq!(error.operation(), Some("deleteIdentity"));
            assert_eq!(error.status(), Some(400));
            let api = error.api().unwrap();
            // The typed body the spec declares for this 400 is only reachable by decoding
            // the raw body by hand.
            let details: sailpoint_isc::$v::models::IdentityAssociationDetails =
                serde_json::from_str(&api.raw_body).unwrap();
            assert_eq!(
                details.message.as_deref(),
                Some("The identity still owns objects; give them a new owner before deleting it.")
            );
            let association = &details.association_details.as_ref().unwrap()[0];
            assert_eq!(association.association_type.as_deref(), Some("ROLE_OWNER"));
            let entity = association.entities.as_ref().unwrap()[0]
                .identity_entity
                .as_ref()
                .unwrap();
            assert_eq!(entity.name.as_deref(), Some("Finance Analyst"));
            assert_eq!(entity.r#type.as_deref(), Some("ROLE"));
            ops::assert_lossless(&details, &example);
        }

        #[tokio::test]
        async fn delete_identity_400_is_not_reported_as_rate_limited() {
            let (error, _) = delete_identity_400().await;
            let api = error.api().unwrap();
            assert!(
                !matches!(api.body, sailpoint_isc::runtime::ErrorBody::RateLimited { .. }),
                "{:?}",
                api.body
            );
        }

        #[tokio::test]
        async fn get_identity_ownership_details_decodes_every_association() {
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let example = ops::response_example(&spec_file("identity-ownership.yaml"), "get", 200);
            let api_path = format!("{BASE}/identities/33cccee46ef933d54576fb44ec4eb1b0/ownership");
            ops::mount(&server, "GET", &api_path, ops::json_response(200, &example)).await;

            let details = client
                .$v()
                .identities()
                .get_identity_ownership_details("33cccee46ef933d54576fb44ec4eb1b0")
                .send()
                .await
                .unwrap();

            let request = ops::only_api_request(&server).await;
            ops::assert_request(&request, "GET", &api_path, &[], EXPERIMENTAL);
            ops::assert_no_body(&request);
            let associations = details.association_details.as_ref().unwrap();
            let summary: Vec<(String, String, String)> = associations
                .iter()
                .flat_map(|a| {
                    a.entities.iter().flatten().map(move |e| {
                        let entity = e.identity_entity.as_ref().unwrap();
                        (
                            a.association_type.clone().unwrap(),
                            entity.name.clone().unwrap(),
                            entity.r#type.clone().unwrap(),
                        )
                    })
                })
                .collect();
            assert_eq!(
                summary,
                [
                    ("ROLE_OWNER".into(), "Finance Analyst".into(), "ROLE".into()),
                    ("SOURCE_OWNER".into(), "SAP ERP".into(), "SOURCE".into()),
                ]
            );
            ops::assert_lossless(&details, &example);

            ops::assert_seed_errors(
                "GET",
                &api_path,
                "getIdentityOwnershipDetails",
                ops::ALL_ERRORS,
                EXPERIMENTAL,
                |client| async move {
                    client
                        .$v()
                        .identities()
                        .get_identity_ownership_details("33cccee46ef933d54576fb44ec4eb1b0")
                        .send()
                        .await
                },
            )
            .await;
        }

        #[tokio::test]
        async fn reset_identity_posts_without_a_body_and_accepts_202() {
            let api_path = format!("{BASE}/identities/c8591a732ce79adefb0956aff507bf00/reset");
            ops::assert_bodyless_call("POST", &api_path, 202, EXPERIMENTAL, |client| async move {
                client.$v().identities().reset_identity("c8591a732ce79adefb0956aff507bf00").send().await
            })
            .await;

            ops::assert_seed_errors(
                "POST",
                &api_path,
                "resetIdentity",
                ops::ALL_ERRORS,
                EXPERIMENTAL,
                |client| async move {
                    client
                        .$v()
                        .identities()
                        .reset_identity("c8591a732ce79adefb0956aff507bf00")
                        .send()
                        .await
                },
            )
            .await;
        }

        #[tokio::test]
        async fn get_role_assignments_without_filters_decodes_references() {
            use sailpoint_isc::$v::models::GetRoleAssignmentsResponseItem;
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let example = ops::response_examples(
                &spec_file("identities-role-assignments.yaml"),
                "get",
                200,
                "references",
            );
            let api_path =
                format!("{BASE}/identities/411e2e72c2a0affa45467a1810dd3427/role-assignments");
            ops::mount(&server, "GET", &api_path, ops::json_response(200, &example)).await;

            let items = client
                .$v()
                .identities()
                .get_role_assignments("411e2e72c2a0affa45467a1810dd3427")
                .send()
                .await
                .unwrap();

            let request = ops::only_api_request(&server).await;
            ops::assert_request(&request, "GET", &api_path, &[], EXPERIMENTAL);
            ops::assert_no_body(&request);
            assert_eq!(items.len(), 2);
            let GetRoleAssignmentsResponseItem::RoleAssignmentRef(first) = &items[0] else {
                panic!("not a reference: {:?}", items[0])
            };
            assert_eq!(first.id.as_deref(), Some("fad84f31ec0f738faac478221994dfcf"));
            let role = first.role.as_ref().unwrap();
            assert_eq!(role.name.as_deref(), Some("Finance Analyst"));
            assert_eq!(first.start_date, None);
            let remove = first.remove_date.as_ref().unwrap();
            assert_eq!(remove.as_str(), "2024-12-31T23:59:59Z");
            assert_eq!(remove.parse().unwrap().unix_timestamp(), 1_735_689_599);
            let GetRoleAssignmentsResponseItem::RoleAssignmentRef(second) = &items[1] else {
                panic!("not a reference: {:?}", items[1])
            };
            assert_eq!(
                second.start_date.as_ref().map(|d| d.as_str()),
                Some("2023-01-16T00:00:00Z")
            );
            assert_eq!(second.remove_date, None);
            ops::assert_lossless(&items, &example);

            ops::assert_seed_errors(
                "GET",
                &api_path,
                "getRoleAssignments",
                ops::ALL_ERRORS,
                EXPERIMENTAL,
                |client| async move {
                    client
                        .$v()
                        .identities()
                        .get_role_assignments("411e2e72c2a0affa45467a1810dd3427")
                        .send()
                        .await
                },
            )
            .await;
        }

        async fn role_assignments_filtered() -> (
            Vec<sailpoint_isc::$v::models::GetRoleAssignmentsResponseItem>,
            serde_json::Value,
        ) {
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let example = ops::response_examples(
                &spec_file("identities-role-assignments.yaml"),
                "get",
                200,
                "assignments",
            );
            let api_path =
                format!("{BASE}/identities/411e2e72c2a0affa45467a1810dd3427/role-assignments");
            ops::mount(&server, "GET", &api_path, ops::json_response(200, &example)).await;

            let items = client
                .$v()
                .identities()
                .get_role_assignments("411e2e72c2a0affa45467a1810dd3427")
                .role_id("f48ceeab4e1aaafb2f67646754cf2f3c")
                .role_name("Finance Analyst")
                .send()
                .await
                .unwrap();

            let request = ops::only_api_request(&server).await;
            ops::assert_request(
                &request,
                "GET",
                &api_path,
                &[
                    ("roleId", "f48ceeab4e1aaafb2f67646754cf2f3c"),
                    ("roleName", "Finance Analyst"),
                ],
                EXPERIMENTAL,
            );
            ops::assert_no_body(&request);
            (items, example)
        }

        #[tokio::test]
        async fn get_role_assignments_with_role_filters_decodes_full_assignments() {
            use sailpoint_isc::$v::models::{GetRoleAssignmentsResponseItem, RoleAssignmentDtoAssignerType};
            let (items, example) = role_assignments_filtered().await;
            assert_eq!(items.len(), 1);
            // anyOf [RoleAssignmentRef, RoleAssignmentDto]: the full assignment must not be
            // cut down to the (all-optional) reference that is listed first.
            let GetRoleAssignmentsResponseItem::RoleAssignmentDto(dto) = &items[0] else {
                panic!("a full assignment decoded as {:?}", items[0])
            };
            assert_eq!(dto.id.as_deref(), Some("fad84f31ec0f738faac478221994dfcf"));
            assert_eq!(dto.comments.as_deref(), Some("Needed for the month-end close."));
            assert_eq!(
                dto.assigner.as_ref().unwrap().r#type,
                Some(RoleAssignmentDtoAssignerType::Identity)
            );
            assert_eq!(
                dto.account_targets.as_ref().unwrap()[0].account_info.as_ref().unwrap().native_identity.as_deref(),
                Some("jberg")
            );
            ops::assert_lossless(&items, &example);
        }

        #[tokio::test]
        async fn get_role_assignment_decodes_the_full_assignment() {
            use sailpoint_isc::$v::models::{ContextAttributeDtoValue, RoleAssignmentDtoAssignerType};
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let example = ops::response_example(&spec_file("identities-role-assignment.yaml"), "get", 200);
            let api_path = format!(
                "{BASE}/identities/411e2e72c2a0affa45467a1810dd3427/role-assignments/fad84f31ec0f738faac478221994dfcf"
            );
            ops::mount(&server, "GET", &api_path, ops::json_response(200, &example)).await;

            let dto = client
                .$v()
                .identities()
                .get_role_assignment(
                    "411e2e72c2a0affa45467a1810dd3427",
                    "fad84f31ec0f738faac478221994dfcf",
                )
                .send()
                .await
                .unwrap();

            let request = ops::only_api_request(&server).await;
            ops::assert_request(&request, "GET", &api_path, &[], EXPERIMENTAL);
            ops::assert_no_body(&request);
            assert_eq!(dto.id.as_deref(), Some("fad84f31ec0f738faac478221994dfcf"));
            assert_eq!(
                serde_json::to_value(dto.role.as_ref().unwrap()).unwrap(),
                example["role"]
            );
            assert_eq!(dto.comments.as_deref(), Some("Needed for the month-end close."));
            assert_eq!(dto.assignment_source.as_deref(), Some("ACCESS_REQUEST"));
            let assigner = dto.assigner.as_ref().unwrap();
            assert_eq!(assigner.r#type, Some(RoleAssignmentDtoAssignerType::Identity));
            assert_eq!(assigner.name.as_deref(), Some("Maria Kovacs"));
            let dimensions = dto.assigned_dimensions.as_ref().unwrap();
            assert_eq!(dimensions[0].name.as_deref(), Some("Finance Analyst - Denver"));
            let context = dto.assignment_context.as_ref().unwrap();
            let requested = &context.requested.as_ref().unwrap().context_attributes.as_ref().unwrap()[0];
            assert_eq!(requested.attribute.as_deref(), Some("location"));
            assert_eq!(
                requested.value,
                Some(ContextAttributeDtoValue::String("Denver".into()))
            );
            assert_eq!(requested.derived, Some(false));
            let matched = &context.matched.as_ref().unwrap()[0];
            assert_eq!(
                matched.role_ref.as_ref().unwrap().id.as_deref(),
                Some("f48ceeab4e1aaafb2f67646754cf2f3c")
            );
            let attribute = &matched.matched_attributes.as_ref().unwrap()[0];
            assert_eq!(
                attribute.value,
                Some(ContextAttributeDtoValue::Array(vec![
                    "Finance".into(),
                    "Accounting".into()
                ]))
            );
            assert_eq!(attribute.derived, Some(true));
            assert_eq!(context.computed_date.as_deref(), Some("2024-03-05T20:00:31.402Z"));
            let target = &dto.account_targets.as_ref().unwrap()[0];
            let account = target.account_info.as_ref().unwrap();
            assert_eq!(account.native_identity.as_deref(), Some("jberg"));
            assert_eq!(
                account.uuid.as_deref(),
                Some("{6e0b4c8a-2f1d-4b7e-9a3c-51d2e8f0a7b4}")
            );
            assert_eq!(target.source.as_ref().unwrap().name.as_deref(), Some("SAP ERP"));
            assert_eq!(dto.start_date, None);
            assert_eq!(
                dto.remove_date.as_ref().map(|d| d.as_str()),
                Some("2024-12-31T23:59:59Z")
            );
            assert_eq!(
                dto.added_date.as_ref().unwrap().parse().unwrap().unix_timestamp(),
                1_709_668_831
            );
            ops::assert_lossless(&dto, &example);

            ops::assert_seed_errors(
                "GET",
                &api_path,
                "getRoleAssignment",
                ops::ALL_ERRORS,
                EXPERIMENTAL,
                |client| async move {
                    client
                        .$v()
                        .identities()
                        .get_role_assignment(
                            "411e2e72c2a0affa45467a1810dd3427",
                            "fad84f31ec0f738faac478221994dfcf",
                        )
                        .send()
                        .await
                },
            )
            .await;
        }

        #[tokio::test]
        async fn synchronize_attributes_for_identity_posts_without_a_body_and_decodes_the_job() {
            use sailpoint_isc::$v::models::IdentitySyncJobStatus;
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let example = ops::response_example(
                &spec_file("identity-synchronize-attributes.yaml"),
                "post",
                202,
            );
            let api_path = format!(
                "{BASE}/identities/411e2e72c2a0affa45467a1810dd3427/synchronize-attributes"
            );
            ops::mount(&server, "POST", &api_path, ops::json_response(202, &example)).await;

            let job = client
                .$v()
                .identities()
                .synchronize_attributes_for_identity("411e2e72c2a0affa45467a1810dd3427")
                .send()
                .await
                .unwrap();

            let request = ops::only_api_request(&server).await;
            ops::assert_request(&request, "POST", &api_path, &[], EXPERIMENTAL);
            ops::assert_no_body(&request);
            assert_eq!(job.id, "956c9995-7d9a-471c-a1ac-37d92d657edd");
            assert_eq!(job.status, IdentitySyncJobStatus::InProgress);
            assert_eq!(job.payload.r#type, "SYNCHRONIZE_IDENTITY_ATTRIBUTES");
            let data: serde_json::Value = serde_json::from_str(&job.payload.data_json).unwrap();
            assert_eq!(data["identityId"], "411e2e72c2a0affa45467a1810dd3427");
            ops::assert_lossless(&job, &example);

            ops::assert_seed_errors(
                "POST",
                &api_path,
                "synchronizeAttributesForIdentity",
                ops::ALL_ERRORS,
                EXPERIMENTAL,
                |client| async move {
                    client
                        .$v()
                        .identities()
                        .synchronize_attributes_for_identity("411e2e72c2a0affa45467a1810dd3427")
                        .send()
                        .await
                },
            )
            .await;
        }

        async fn invite(
            body: sailpoint_isc::$v::models::InviteIdentitiesRequest,
            expected_body: &serde_json::Value,
        ) -> sailpoint_isc::$v::models::TaskStatus {
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let example = ops::response_example(&spec_file("identities-invite.yaml"), "post", 202);
            let api_path = format!("{BASE}/identities/invite");
            ops::mount(&server, "POST", &api_path, ops::json_response(202, &example)).await;
            let status = client
                .$v()
                .identities()
                .start_identities_invite(body)
                .send()
                .await
                .unwrap();
            let request = ops::only_api_request(&server).await;
            ops::assert_request(&request, "POST", &api_path, &[], EXPERIMENTAL);
            ops::assert_json_body(&request, expected_body);
            ops::assert_lossless(&status, &example);
            status
        }

        #[tokio::test]
        async fn start_identities_invite_sends_the_body_and_decodes_the_task_status() {
            use sailpoint_isc::$v::models::{
                InviteIdentitiesRequest, TargetType, TaskStatusMessageType, TaskStatusType,
            };
            let file = spec_file("identities-invite.yaml");
            let selected = ops::request_example(&file, "post", "selected");
            let status = invite(
                InviteIdentitiesRequest {
                    ids: Some(vec![
                        "c8591a732ce79adefb0956aff507bf00".into(),
                        "303fc1421c7657efded2ba443075723e".into(),
                    ]),
                    uninvited: Some(false),
                },
                &selected,
            )
            .await;
            assert_eq!(status.id, "5ce5e62f5dadb6df6849d70d72d9bc1e");
            assert_eq!(status.r#type, TaskStatusType::Quartz);
            assert_eq!(status.unique_name, "Identity Invitation 1709720100");
            assert_eq!(status.parent_name, None);
            assert_eq!(status.launcher, "maria.kovacs");
            let target = status.target.as_ref().unwrap();
            assert_eq!(target.r#type, Some(TargetType::Identity));
            assert_eq!(target.name.as_deref(), Some("Priya Natarajan"));
            assert_eq!(status.created.as_str(), "2024-03-06T10:15:00.812Z");
            assert_eq!((status.launched.as_ref(), status.completed.as_ref()), (None, None));
            assert_eq!(status.completion_status, None);
            let message = &status.messages[0];
            assert_eq!(message.r#type, TaskStatusMessageType::Info);
            assert_eq!(message.key, "identity_invite_queued");
            let text = message.localized_text.as_ref().unwrap();
            assert_eq!(
                (text.locale.as_str(), text.message.as_str()),
                ("en-US", "Invitations queued for 2 identities.")
            );
            assert_eq!(message.parameters.as_ref().unwrap().len(), 2);
            assert_eq!(status.returns[0].attribute_name, "invitedCount");
            assert_eq!(status.attributes["identityCount"], 2);
            assert_eq!(status.progress.as_deref(), Some("Queued"));
            assert_eq!(status.percent_complete, 0);
            let definition = status.task_definition_summary.as_ref().unwrap();
            assert_eq!(
                definition.executor.as_deref(),
                Some("sailpoint.task.IdentityInvitationExecutor")
            );
            assert_eq!(definition.arguments["batchSize"], 100);

            // The other request example: only `uninvited`.
            let all = ops::request_example(&file, "post", "allUninvited");
            invite(
                InviteIdentitiesRequest {
                    ids: None,
                    uninvited: Some(true),
                },
                &all,
            )
            .await;

            ops::assert_seed_errors(
                "POST",
                &format!("{BASE}/identities/invite"),
                "startIdentitiesInvite",
                ops::ALL_ERRORS,
                EXPERIMENTAL,
                |client| async move {
                    client
                        .$v()
                        .identities()
                        .start_identities_invite(Default::default())
                        .send()
                        .await
                },
            )
            .await;
        }

        #[tokio::test]
        async fn task_status_message_string_parameters_decode_as_strings() {
            use sailpoint_isc::$v::models::TaskStatusMessageParametersItem;
            let example = ops::response_example(&spec_file("identities-invite.yaml"), "post", 202);
            let status: sailpoint_isc::$v::models::TaskStatus = ops::decode(&example);
            let parameters = status.messages[0].parameters.as_ref().unwrap();
            assert_eq!(
                parameters[0],
                TaskStatusMessageParametersItem::Json(serde_json::json!({"count": 2}))
            );
            assert_eq!(
                parameters[1],
                TaskStatusMessageParametersItem::String("EMAIL_WORK".into())
            );
        }

        #[tokio::test]
        async fn send_identity_verification_account_token_sends_the_body_and_accepts_200() {
            use sailpoint_isc::$v::models::{
                SendAccountVerificationRequest, SendAccountVerificationRequestVia,
            };
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let file = spec_file("identity-send-account-verification.yaml");
            let expected = ops::spec(&file, "/post/requestBody/content/application~1json/example");
            let api_path = format!(
                "{BASE}/identities/93b48f7e-a578-4e1c-a180-632132df0da3/verification/account/send"
            );
            ops::mount(&server, "POST", &api_path, wiremock::ResponseTemplate::new(200)).await;
            let body = || SendAccountVerificationRequest {
                source_name: Some("Corporate AD".into()),
                via: SendAccountVerificationRequestVia::EmailPersonal,
            };

            client
                .$v()
                .identities()
                .send_identity_verification_account_token("93b48f7e-a578-4e1c-a180-632132df0da3", body())
                .send()
                .await
                .unwrap();

            let request = ops::only_api_request(&server).await;
            ops::assert_request(&request, "POST", &api_path, &[], EXPERIMENTAL);
            ops::assert_json_body(&request, &expected);

            ops::assert_seed_errors(
                "POST",
                &api_path,
                "sendIdentityVerificationAccountToken",
                ops::ALL_ERRORS,
                EXPERIMENTAL,
                |client| async move {
                    client
                        .$v()
                        .identities()
                        .send_identity_verification_account_token(
                            "93b48f7e-a578-4e1c-a180-632132df0da3",
                            body(),
                        )
                        .send()
                        .await
                },
            )
            .await;
        }

        async fn process(
            response: &str,
        ) -> sailpoint_isc::$v::models::TaskResultResponse {
            use sailpoint_isc::$v::models::ProcessIdentitiesRequest;
            let (server, client) = ops::start(EXPERIMENTAL).await;
            let file = spec_file("identities-process.yaml");
            let expected = ops::spec(&file, "/post/requestBody/content/application~1json/example");
            let api_path = format!("{BASE}/identities/process");
            ops::mount(
                &server,
                "POST",
                &api_path,
                wiremock::ResponseTemplate::new(202).set_body_raw(response, "application/json"),
            )
            .await;
            let result = client
                .$v()
                .identities()
                .start_identity_processing(ProcessIdentitiesRequest {
                    identity_ids: Some(vec![
                        "411e2e72c2a0affa45467a1810dd3427".into(),
                        "c8591a732ce79adefb0956aff507bf00".into(),
                        "303fc1421c7657efded2ba443075723e".into(),
                    ]),
                })
                .send()
                .await
                .unwrap();
            let request = ops::only_api_request(&server).await;
            ops::assert_request(&request, "POST", &api_path, &[], EXPERIMENTAL);
            ops::assert_json_body(&request, &expected);
            result
        }

        #[tokio::test]
        async fn start_identity_processing_sends_the_ids_and_decodes_the_task_result() {
            let file = spec_file("identities-process.yaml");
            let example = ops::response_example(&file, "post", 202);
            let result = process(&example.to_string()).await;
            assert_eq!(result.r#type.as_deref(), Some("TASK_RESULT"));
            assert_eq!(result.id.as_deref(), Some("9c1e4231-bc3f-46c1-a9b7-4022fe19f1be"));
            assert_eq!(result.name, None);
            ops::assert_lossless(&result, &example);

            // Seed 000's body: `name` is the string "null".
            let seed = process(
                r#"{
"type": "TASK_RESULT",
"id": "78733556-9ea3-4f59-bf69-e5cd92b011b4",
"name": "null"
}"#,
            )
            .await;
            assert_eq!(seed.r#type.as_deref(), Some("TASK_RESULT"));
            assert_eq!(seed.id.as_deref(), Some("78733556-9ea3-4f59-bf69-e5cd92b011b4"));
            assert_eq!(seed.name.as_deref(), Some("null"));

            // What the operation really sends according to the spec: `name: null`.
            let null_name = process(r#"{"type":"TASK_RESULT","id":"t-1","name":null}"#).await;
            assert_eq!(null_name.name, None);

            ops::assert_seed_errors(
                "POST",
                &format!("{BASE}/identities/process"),
                "startIdentityProcessing",
                ops::ALL_ERRORS,
                EXPERIMENTAL,
                |client| async move {
                    client
                        .$v()
                        .identities()
                        .start_identity_processing(Default::default())
                        .send()
                        .await
                },
            )
            .await;
        }
    };
}
