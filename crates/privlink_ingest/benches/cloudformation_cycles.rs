//! Loading a CloudFormation template whose resources refer to each other in one long cycle
//! (`Ref` and `GetAtt` to two others each): the cycle search and the evaluation stay linear in the
//! number of resources, so 20,000 resources take about ten times as long as 2,000.
//!
//! `cargo bench -p privlink_ingest --bench cloudformation_cycles`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use privlink_ingest::{LoadOptions, load};

/// `n` security groups each referring to two others, all in one cycle.
fn cyclic_template(n: usize) -> String {
    let mut t = String::from("Resources:\n");
    for i in 0..n {
        t.push_str(&format!(
            "  Sg{i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Ref Sg{}\n      VpcId: !GetAtt Sg{}.VpcId\n",
            (i + 1) % n,
            (i + 7) % n
        ));
    }
    t
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("cloudformation_cycle");
    group.sample_size(10);
    let dir = tempfile::tempdir().expect("temp dir");
    for n in [2_000, 20_000] {
        let path = dir.path().join(format!("cycle-{n}.yaml"));
        std::fs::write(&path, cyclic_template(n)).expect("write template");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("load", n), &path, |b, path| {
            b.iter(|| {
                load(
                    black_box(std::slice::from_ref(path)),
                    &LoadOptions::default(),
                )
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
