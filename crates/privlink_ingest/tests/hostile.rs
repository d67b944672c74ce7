//! Hostile inputs: each is reported, located, in bounded time and memory, and never hides the other
//! inputs. The tests assert what is reported; that loading stays linear in the input is measured by
//! the `cloudformation_cycles` criterion bench, never by a timed assertion (a loaded machine makes
//! those flaky, and the test harness's own timeout catches a hang).

use std::fs;
use std::path::{Path, PathBuf};

use privlink_ingest::terraform::config::{ConfigOptions, evaluate_directory};
use privlink_ingest::{InputError, LoadOptions, load};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let full = root.join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
    }
}

fn errors_of(paths: &[PathBuf], options: &LoadOptions) -> Vec<Vec<InputError>> {
    load(paths, options)
        .inputs
        .into_iter()
        .map(|i| i.errors)
        .collect()
}

fn text(errors: &[InputError]) -> String {
    errors
        .iter()
        .map(|e| format!("{e} [{:?}]", e.help))
        .collect::<Vec<_>>()
        .join("\n")
}

const VPC: &str = "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n";

#[test]
fn huge_counts_are_refused_at_the_count() {
    for count in ["1000000000", "1e6", "1e19", "1e300"] {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[(
                "main.tf",
                &format!(
                    "{VPC}resource \"aws_subnet\" \"s\" {{\n  count = {count}\n  vpc_id = aws_vpc.main.id\n  cidr_block = \"10.0.1.0/24\"\n}}\n"
                ),
            )],
        );
        let config = evaluate_directory(dir.path(), "cfg", &ConfigOptions::default());
        let errors = text(&config.errors);
        assert!(
            errors.contains("cfg/main.tf:5:3: aws_subnet.s would have")
                && errors.contains("privlink evaluates at most 10000 instances"),
            "count = {count}: {errors}"
        );
        assert!(config.resources.iter().any(|r| r.address == "aws_vpc.main"));
    }
}

#[test]
fn huge_for_each_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "main.tf",
            "locals {\n  keys = toset(flatten([for i in range(1000) : [for j in range(20) : \"${i}-${j}\"]]))\n}\nresource \"aws_subnet\" \"s\" {\n  for_each = local.keys\n  vpc_id = \"vpc-1\"\n}\n",
        )],
    );
    let config = evaluate_directory(dir.path(), "cfg", &ConfigOptions::default());
    let errors = text(&config.errors);
    assert!(
        errors.contains("cfg/main.tf:5:3: aws_subnet.s would have 20000 instances"),
        "{errors}"
    );
}

#[test]
fn a_string_doubled_forty_times_stops_at_the_limit() {
    let mut locals = String::from("locals {\n  s0 = \"0123456789abcdef\"\n");
    for i in 1..=40 {
        locals.push_str(&format!(
            "  s{i} = \"${{local.s{}}}${{local.s{}}}\"\n",
            i - 1,
            i - 1
        ));
    }
    locals.push_str("}\n");
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("main.tf", &locals),
            (
                "vpc.tf",
                "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags = { Name = local.s40 }\n}\n",
            ),
        ],
    );
    let config = evaluate_directory(dir.path(), "cfg", &ConfigOptions::default());
    let errors = text(&config.errors);
    assert!(errors.contains("evaluates to more than 16 MiB"), "{errors}");
    assert_eq!(config.resources.len(), 1);
}

#[test]
fn undeclared_vars_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("main.tf", VPC)]);
    let options = ConfigOptions {
        vars: vec![("regoin".to_owned(), "x".to_owned())],
        ..ConfigOptions::default()
    };
    let config = evaluate_directory(dir.path(), "cfg", &options);
    let errors = text(&config.errors);
    assert!(
        errors.contains("Value for undeclared variable: A variable named \"regoin\""),
        "{errors}"
    );
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_links_are_reported_not_read() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.json"), "{}").unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "main.tf",
            "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags = {\n    a = file(\"${path.module}/pipe\")\n    b = file(\"/dev/zero\")\n    c = file(\"${path.module}/link.json\")\n  }\n}\n",
        )],
    );
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink(
        outside.path().join("secret.json"),
        dir.path().join("link.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path().join("loop.tf"), dir.path().join("loop.tf")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling.tf")).unwrap();
    let config = evaluate_directory(dir.path(), "cfg", &ConfigOptions::default());
    let errors = text(&config.errors);
    for expected in [
        "cfg/main.tf:4:9: file(): cannot read \"./pipe\": it is a FIFO (named pipe), not a regular file",
        "cfg/main.tf:5:9: file(): cannot read \"/dev/zero\": it is a device, not a regular file",
        "cfg/main.tf:6:9: file(): cannot read \"./link.json\": a symlink resolves it outside",
        "cfg/loop.tf: cannot read file:",
        "cfg/dangling.tf: cannot read file:",
    ] {
        assert!(
            errors.contains(expected),
            "missing {expected:?} in\n{errors}"
        );
    }
    assert_eq!(config.resources.len(), 1);
}

#[test]
fn invalid_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("t.yaml"),
        b"Resources:\n  Vpc:\n    Type: AWS::EC2::VPC # \xff\n",
    )
    .unwrap();
    let errors = errors_of(&[dir.path().join("t.yaml")], &LoadOptions::default());
    let errors = text(&errors[0]);
    assert!(
        errors.contains("t.yaml:3:27: cannot read: invalid UTF-8 (byte 0xff)"),
        "{errors}"
    );
}

#[test]
fn nested_templates_outside_the_tree_are_refused_at_the_template_url() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "stack/main.yaml",
            "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ../../../../../../../../etc/passwd\n",
        )],
    );
    let path = dir.path().join("stack/main.yaml");
    let errors = errors_of(std::slice::from_ref(&path), &LoadOptions::default());
    let errors = text(&errors[0]);
    assert!(
        errors.contains("main.yaml:5:20: nested stack Child: TemplateURL \"../../../../../../../../etc/passwd\" leads outside"),
        "{errors}"
    );
    assert!(!errors.contains("passwd:"), "{errors}");
}

#[test]
fn a_broken_cdk_manifest_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "cdk.out/manifest.json",
                "{\"version\": \"36.0.0\", \"artifacts\": {",
            ),
            ("cdk.out/cdk.out", "{\"version\":\"36.0.0\"}"),
        ],
    );
    let errors = errors_of(&[dir.path().join("cdk.out")], &LoadOptions::default());
    let errors = text(&errors[0]);
    assert!(errors.contains("cannot read the CDK manifest"), "{errors}");
    assert!(
        !errors.contains("no Terraform configuration files"),
        "{errors}"
    );
}

#[test]
fn many_alike_errors_are_summarised_and_a_long_cycle_is_reported() {
    // 100,000 undefined references in one Fn::Sub: a few errors and a count.
    let refs: String = (0..100_000).map(|i| format!("${{Missing{i}}}")).collect();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "sub.yaml",
            &format!(
                "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Sub '{refs}'\n"
            ),
        )],
    );
    let errors = errors_of(&[dir.path().join("sub.yaml")], &LoadOptions::default());
    assert!(errors[0].len() <= 6, "{}", errors[0].len());
    assert!(
        text(&errors[0]).contains("and 99995 more errors like"),
        "{}",
        text(&errors[0])
    );

    // 20,000 resources referring to each other in one cycle: loaded, the cycle reported (how the
    // time grows from 2,000 to 20,000 is the `cloudformation_cycles` bench).
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("t.yaml", &cyclic_template(20_000))]);
    let loaded = load(&[dir.path().join("t.yaml")], &LoadOptions::default());
    assert!(
        loaded
            .model
            .diagnostics
            .iter()
            .any(|d| d.message.contains("depend on each other in a cycle")),
        "the references form one cycle"
    );
}

/// `n` security groups each referring (`Ref`, `GetAtt`) to two others, all in one cycle: the same
/// template as the `cloudformation_cycles` bench.
fn cyclic_template(n: usize) -> String {
    let mut t = String::from("Resources:\n");
    for i in 0..n {
        t.push_str(&format!(
            "  Sg{i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Ref Sg{}\n      VpcId: !GetAtt Sg{}.VpcId\n",
            (i + 1) % n.max(1),
            (i + 7) % n.max(1)
        ));
    }
    t
}
