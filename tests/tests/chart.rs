//! Every service the binary knows has its Deployment in the Helm chart.

use std::path::Path;

#[test]
fn every_service_has_a_deployment_and_a_service_in_the_chart() {
    let chart = Path::new(env!("CARGO_MANIFEST_DIR")).join("../charts/edu24");
    let helpers = std::fs::read_to_string(chart.join("templates/_helpers.tpl")).unwrap();
    assert!(helpers.contains("define \"edu24.deployment\"") && helpers.contains("kind: Deployment"));
    assert!(helpers.contains("readinessProbe") && helpers.contains("livenessProbe") && helpers.contains("resources"));
    let values = std::fs::read_to_string(chart.join("values.yaml")).unwrap();
    for service in edu24_shared::SERVICES {
        let file = chart.join(format!("templates/{service}.yaml"));
        let text = std::fs::read_to_string(&file).unwrap_or_else(|_| panic!("{} is missing", file.display()));
        assert!(
            text.contains(&format!("\"name\" \"{service}\"")) && text.contains("include \"edu24.deployment\""),
            "{service}.yaml renders the shared Deployment for {service}"
        );
        assert!(text.contains("include \"edu24.service\""), "{service}.yaml has its Service");
        assert!(values.contains(&format!("\n  {service}:")), "values.yaml configures {service}");
    }
}

#[test]
fn the_container_build_builds_the_one_binary() {
    let dockerfile = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../ops/Dockerfile")).unwrap();
    assert!(dockerfile.contains("--bin edu24"));
    assert!(dockerfile.contains("ENTRYPOINT"));
}
