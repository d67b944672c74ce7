//! Loading the inputs and analysing them: what every input-reading command starts with.

use anyhow::{Result, bail};
use privlink_analysis::{Analysis, Options, analyze};
use privlink_ingest::terraform::config::ConfigOptions;
use privlink_ingest::workload_spec::WorkloadSpec;
use privlink_ingest::{InputReport, LoadOptions, Loaded, load};
use privlink_model::{Model, Severity};

use crate::cli::{FailOn, InputArgs};
use crate::config;

/// Loaded inputs and their analysis.
#[derive(Debug)]
pub(crate) struct Session {
    /// One report per input.
    pub(crate) inputs: Vec<InputReport>,
    /// The analysis.
    pub(crate) analysis: Analysis,
    /// Whether NAT and internet gateways were ignored.
    pub(crate) endpoints_only: bool,
    /// The severity that fails the run.
    pub(crate) fail_on: FailOn,
    /// The model analysed (cost prices what it has).
    pub(crate) model: Model,
    /// The configuration in force.
    pub(crate) config: config::Config,
    /// Documents that locations point into but that are not files (an unsaved live scan), by path.
    pub(crate) documents: Vec<(String, String)>,
}

impl Session {
    /// Whether an input could not be read.
    pub(crate) fn has_input_errors(&self) -> bool {
        self.inputs.iter().any(|i| !i.is_ok())
    }

    /// The exit status: 2 for unreadable inputs, 1 for findings at or above `--fail-on`, else 0.
    pub(crate) fn exit_code(&self) -> u8 {
        if self.has_input_errors() {
            return 2;
        }
        let threshold = match self.fail_on {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
            FailOn::Never => return 0,
        };
        u8::from(
            self.analysis
                .findings
                .iter()
                .any(|f| f.severity >= threshold),
        )
    }
}

/// Opens a session. `--workload` values without `=` are returned as names when `names_allowed`
/// (`explain --workload NAME`), and are a usage error otherwise.
pub(crate) fn open(args: &InputArgs, names_allowed: bool) -> Result<(Session, Vec<String>)> {
    let paths = args.input_paths();
    open_with(args, names_allowed, &paths, |options| load(&paths, options))
}

/// Opens a session on what `loader` loads (the inputs read from `paths`, or a live scan); `paths` are
/// where `privlink.toml` is looked for.
pub(crate) fn open_with(
    args: &InputArgs,
    names_allowed: bool,
    paths: &[std::path::PathBuf],
    loader: impl FnOnce(&LoadOptions) -> Loaded,
) -> Result<(Session, Vec<String>)> {
    let config = config::load(args.config.as_deref(), paths)?;
    if let Some(output) = &args.output {
        refuse_input_as_output(output, args, paths, config.path.as_deref())?;
    }
    let mut vars = Vec::new();
    for v in &args.vars {
        let Some((name, value)) = v.split_once('=') else {
            bail!("--var `{v}` is not NAME=VALUE");
        };
        vars.push((name.trim().to_owned(), value.to_owned()));
    }
    let mut parameters = Vec::new();
    for p in &args.parameters {
        let Some((key, value)) = p.split_once('=') else {
            bail!("--parameter `{p}` is not KEY=VALUE");
        };
        parameters.push((key.trim().to_owned(), value.to_owned()));
    }
    let region = args.region.clone().or_else(|| config.region.clone());
    let options = LoadOptions {
        terraform: ConfigOptions {
            vars,
            var_files: args.var_files.clone(),
            region: region.clone(),
        },
        region: region.clone(),
        cloudformation_parameters: parameters,
    };
    let loaded = loader(&options);
    let mut model = loaded.model;
    let mut names = Vec::new();
    let mut specs = Vec::new();
    for w in &args.workloads {
        if w.contains('=') {
            specs.push((
                w.parse::<WorkloadSpec>()
                    .map_err(|e| anyhow::anyhow!("--workload `{w}`: {e}"))?,
                "--workload".to_owned(),
                format!("--workload `{w}`"),
            ));
        } else if names_allowed {
            names.push(w.clone());
        } else {
            bail!(
                "--workload `{w}` is not a workload spec; write e.g. kind=ecs-fargate,subnets=aws_subnet.a"
            );
        }
    }
    if specs.is_empty() {
        let source = config
            .path
            .as_ref()
            .map_or_else(|| "privlink.toml".to_owned(), |p| p.display().to_string());
        specs = config
            .workloads
            .iter()
            .zip(&config.workload_lines)
            .map(|(s, line)| {
                (
                    s.clone(),
                    source.clone(),
                    format!("{source}:{line}: [[workload]]"),
                )
            })
            .collect();
    }
    if !specs.is_empty() {
        let workloads = specs
            .iter()
            .enumerate()
            .map(|(i, (spec, source, at))| {
                spec.resolve(&model, i, source)
                    .map_err(|e| anyhow::anyhow!("{at}: {e}"))
            })
            .collect::<Result<Vec<_>>>()?;
        model.workloads = workloads;
    }
    let endpoints_only = args.endpoints_only || config.endpoints_only;
    let mut analysis = analyze(
        &model,
        &Options {
            endpoints_only,
            region,
        },
    );
    if args.allow_undecided || config.allow_undecided {
        analysis.allow_undecided();
    }
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(FailOn::Error);
    Ok((
        Session {
            inputs: loaded.inputs,
            analysis,
            endpoints_only,
            fail_on,
            model,
            config,
            documents: Vec::new(),
        },
        names,
    ))
}

/// `--output` must not replace what privlink reads: one of the files named (inputs, variable files,
/// snapshots, the configuration file), nor a Terraform file inside an input directory.
fn refuse_input_as_output(
    output: &std::path::Path,
    args: &InputArgs,
    paths: &[std::path::PathBuf],
    config: Option<&std::path::Path>,
) -> Result<()> {
    let Ok(resolved) = std::fs::canonicalize(output) else {
        // A file that does not exist yet is not an input.
        return Ok(());
    };
    let named = paths
        .iter()
        .chain(&args.var_files)
        .chain(&args.aws_snapshots)
        .map(std::path::PathBuf::as_path)
        .chain(config);
    for input in named {
        let Ok(input_resolved) = std::fs::canonicalize(input) else {
            continue;
        };
        let terraform_file = [".tf", ".tf.json", ".tfvars", ".tfvars.json"]
            .iter()
            .any(|ext| resolved.to_string_lossy().ends_with(ext));
        if input_resolved == resolved
            || (input_resolved.is_dir() && terraform_file && resolved.starts_with(&input_resolved))
        {
            bail!(
                "--output {} would overwrite an input ({}); write the report elsewhere",
                output.display(),
                input.display()
            );
        }
    }
    Ok(())
}
