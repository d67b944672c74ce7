//! Locations, and the same configuration written in HCL and in Terraform JSON.

use privlink_model::Location;

use super::support::*;

#[test]
fn resources_attributes_and_nested_blocks_have_locations() {
    let config = eval_fixture("seed-000");
    let sg = resource(&config, "aws_security_group.vpc_endpoint");
    let path = "fixtures/seed-000/endpoints.tf";
    assert_eq!(sg.location, Some(Location::new(path, 40, 1)));
    let at = |key: &str| sg.attribute_locations.get(key).cloned();
    assert_eq!(at("name"), Some(Location::new(path, 41, 3)));
    assert_eq!(at("ingress.0"), Some(Location::new(path, 44, 3)));
    assert_eq!(
        at("ingress.0.cidr_blocks"),
        Some(Location::new(path, 48, 5))
    );
    assert_eq!(at("egress.0.from_port"), Some(Location::new(path, 52, 5)));
    assert_eq!(
        sg.location_of("egress.0.cidr_blocks.0"),
        Some(Location::new(path, 55, 5))
    );
    assert_eq!(sg.location_of("tags"), Some(Location::new(path, 40, 1)));
    assert_eq!(
        sg.attribute_locations.keys().collect::<Vec<_>>(),
        [
            "egress.0",
            "egress.0.cidr_blocks",
            "egress.0.from_port",
            "egress.0.protocol",
            "egress.0.to_port",
            "ingress.0",
            "ingress.0.cidr_blocks",
            "ingress.0.from_port",
            "ingress.0.protocol",
            "ingress.0.to_port",
            "name",
            "vpc_id",
        ]
    );
}

#[test]
fn json_syntax_evaluates_like_the_same_hcl() {
    let hcl = eval_fixture("equivalence/hcl");
    let json = eval_fixture("equivalence/json");
    assert!(
        hcl.errors.is_empty() && hcl.diagnostics.is_empty(),
        "{}",
        dump(&hcl)
    );
    assert!(
        json.errors.is_empty() && json.diagnostics.is_empty(),
        "{}",
        dump(&json)
    );
    assert_eq!(hcl.resources.len(), 10);
    assert_eq!(hcl.resources.len(), json.resources.len());
    for (h, j) in hcl.resources.iter().zip(&json.resources) {
        assert_eq!(h.address, j.address);
        assert_eq!(
            (h.mode, &h.resource_type, &h.name, &h.module, &h.key),
            (j.mode, &j.resource_type, &j.name, &j.module, &j.key)
        );
        assert_eq!(h.attributes, j.attributes, "{}", h.address);
        assert_eq!(h.region, j.region);
        assert!(j.location.as_ref().unwrap().path.ends_with(".tf.json"));
    }
    let endpoint = resource(&json, "aws_vpc_endpoint.interface[\"ecr.dkr\"]");
    assert_eq!(
        endpoint.get("service_name"),
        Some(&s("com.amazonaws.ap-northeast-1.ecr.dkr"))
    );
    assert_eq!(
        endpoint.location,
        Some(Location::new(
            "fixtures/equivalence/json/main.tf.json",
            41,
            7
        ))
    );
    assert_eq!(
        endpoint.attribute_locations.get("subnet_ids"),
        Some(&Location::new(
            "fixtures/equivalence/json/main.tf.json",
            47,
            9
        ))
    );
    let eks = resource(&json, "aws_eks_cluster.cluster");
    assert_eq!(
        eks.get("vpc_config.0.endpoint_private_access"),
        Some(&privlink_ingest::terraform::value::Value::Bool(true))
    );
    assert!(
        eks.attribute_locations.contains_key("vpc_config.0"),
        "schema-declared blocks are blocks in JSON too"
    );
    insta::assert_snapshot!(dump(&hcl));
}
