//! Evaluation of every intrinsic function, parameter and condition form, on templates written
//! inline: each test evaluates the template's `Outputs` and compares them as text (`${...}` marks
//! what is known only at deploy time).

use std::path::PathBuf;
use std::rc::Rc;

use super::eval::{EvalOptions, Evaluator};
use super::parse::parse;
use super::template::{StackEnv, Template, TemplateFile};
use super::value::Value;

/// What evaluating a template gave.
struct Evaluated {
    outputs: Vec<(String, String)>,
    errors: Vec<String>,
    diagnostics: Vec<String>,
}

impl Evaluated {
    fn output(&self, name: &str) -> &str {
        &self
            .outputs
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no output {name}: {:?}", self.outputs))
            .1
    }
}

fn file(name: &str, env: StackEnv) -> TemplateFile {
    TemplateFile {
        input: 0,
        path: PathBuf::from(name),
        display: name.to_owned(),
        stack: name.split('.').next().unwrap_or(name).to_owned(),
        env,
        assets: Rc::default(),
    }
}

fn evaluate_all(
    templates: &[(&str, &str)],
    parameters: &[(&str, &str)],
    region: Option<&str>,
) -> Vec<Evaluated> {
    let parsed = templates
        .iter()
        .map(|(name, text)| {
            Rc::new(Template::new(
                file(name, StackEnv::default()),
                parse(text).expect("valid YAML"),
                None,
            ))
        })
        .collect();
    let options = EvalOptions {
        parameters: parameters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        region: region.map(str::to_owned),
    };
    let mut ev = Evaluator::new(parsed, options);
    ev.validate();
    super::dependencies::check(&mut ev);
    super::resources::evaluate(&mut ev);
    let mut out = Vec::new();
    for t in 0..templates.len() {
        let template = ev.template(t);
        let outputs = template
            .section("Outputs")
            .iter()
            .map(|e| {
                let value = e.value.get("Value").map_or(Value::Null, |v| ev.eval(t, v));
                (e.key.clone(), value.to_string())
            })
            .collect();
        out.push(Evaluated {
            outputs,
            errors: Vec::new(),
            diagnostics: Vec::new(),
        });
    }
    let errors: Vec<String> = ev.errors.iter().map(|(_, e)| e.to_string()).collect();
    let diagnostics: Vec<String> = ev
        .diagnostics
        .iter()
        .map(|d| match &d.location {
            Some(at) => format!("{at}: {}", d.message),
            None => d.message.clone(),
        })
        .collect();
    if let Some(first) = out.first_mut() {
        first.errors = errors;
        first.diagnostics = diagnostics;
    }
    out
}

fn evaluate(text: &str, parameters: &[(&str, &str)], region: Option<&str>) -> Evaluated {
    evaluate_all(&[("t.yaml", text)], parameters, region).remove(0)
}

const RESOURCES: &str =
    "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.1.0.0/16\n";

#[test]
fn ref_sub_getatt_and_pseudo_parameters() {
    let text = format!(
        "{RESOURCES}Parameters:\n  Env:\n    Type: String\n    Default: dev\nOutputs:\n  A: {{Value: !Ref Env}}\n  B: {{Value: !Sub '${{Env}}-${{AWS::Region}}-${{!Literal}}'}}\n  C: {{Value: !Sub ['${{X}}.${{Vpc.CidrBlock}}', {{X: !Ref Env}}]}}\n  D: {{Value: !Ref Vpc}}\n  E: {{Value: !GetAtt Vpc.DefaultSecurityGroup}}\n  F: {{Value: !Sub 'arn:${{AWS::Partition}}:s3:::${{AWS::AccountId}}-${{AWS::URLSuffix}}'}}\n  G: {{Value: !Ref AWS::StackName}}\n"
    );
    let e = evaluate(&text, &[], Some("ap-northeast-1"));
    assert!(e.errors.is_empty(), "{:?}", e.errors);
    assert_eq!(e.output("A"), "dev");
    assert_eq!(e.output("B"), "dev-ap-northeast-1-${Literal}");
    assert_eq!(e.output("C"), "dev.10.1.0.0/16");
    assert_eq!(e.output("D"), "${Vpc (AWS::EC2::VPC)}");
    assert_eq!(e.output("E"), "${Vpc.DefaultSecurityGroup (AWS::EC2::VPC)}");
    assert_eq!(
        e.output("F"),
        "arn:aws:s3:::${AWS::AccountId}-amazonaws.com"
    );
    assert_eq!(e.output("G"), "${AWS::StackName}");
}

#[test]
fn join_select_split_cidr_getazs_base64_length() {
    let text = format!(
        "{RESOURCES}Outputs:\n  Join: {{Value: !Join [',', [a, !Ref AWS::Region, 3]]}}\n  Select: {{Value: !Select [1, !Split ['/', 'a/b/c']]}}\n  Cidr: {{Value: !Join [' ', !Cidr [10.0.0.0/16, 3, 8]]}}\n  Azs: {{Value: !Select [2, !GetAZs '']}}\n  Base64: {{Value: !Base64 hello}}\n  Length: {{Value: !Length [a, b, c]}}\n  Unknown: {{Value: !Join ['', [!Ref AWS::AccountId, '.dkr.ecr']]}}\n"
    );
    let e = evaluate(&text, &[], Some("eu-west-1"));
    assert!(e.errors.is_empty(), "{:?}", e.errors);
    assert_eq!(e.output("Join"), "a,eu-west-1,3");
    assert_eq!(e.output("Select"), "b");
    assert_eq!(e.output("Cidr"), "10.0.0.0/24 10.0.1.0/24 10.0.2.0/24");
    assert_eq!(e.output("Azs"), "eu-west-1c");
    assert!(
        e.diagnostics
            .iter()
            .any(|d| d.contains("Fn::GetAZs") && d.contains("eu-west-1a, eu-west-1b, eu-west-1c")),
        "{:?}",
        e.diagnostics
    );
    assert_eq!(e.output("Base64"), "aGVsbG8=");
    assert_eq!(e.output("Length"), "3");
    assert_eq!(e.output("Unknown"), "${AWS::AccountId}.dkr.ecr");
}

#[test]
fn conditions_if_equals_and_or_not() {
    let text = format!(
        "{RESOURCES}Parameters:\n  Env:\n    Type: String\n    Default: prd\nConditions:\n  IsPrd: !Equals [!Ref Env, prd]\n  IsDev: !Equals [!Ref Env, dev]\n  Either: !Or [!Condition IsPrd, !Condition IsDev]\n  Both: !And [!Condition IsPrd, !Condition IsDev]\n  NotDev: !Not [!Condition IsDev]\nOutputs:\n  If: {{Value: !If [IsPrd, big, small]}}\n  Either: {{Value: !If [Either, y, n]}}\n  Both: {{Value: !If [Both, y, n]}}\n  NotDev: {{Value: !If [NotDev, y, n]}}\n  NoValue: {{Value: !Join ['-', [a, !If [IsDev, b, !Ref AWS::NoValue], c]]}}\n"
    );
    let e = evaluate(&text, &[], None);
    assert!(e.errors.is_empty(), "{:?}", e.errors);
    assert_eq!(
        [
            e.output("If"),
            e.output("Either"),
            e.output("Both"),
            e.output("NotDev")
        ],
        ["big", "y", "n", "y"]
    );
    assert_eq!(e.output("NoValue"), "a-c");
    let e = evaluate(&text, &[("Env", "dev")], None);
    assert_eq!(
        [
            e.output("If"),
            e.output("Both"),
            e.output("NotDev"),
            e.output("NoValue")
        ],
        ["small", "n", "n", "a-b-c"]
    );
}

#[test]
fn mappings_and_parameters() {
    let text = format!(
        "{RESOURCES}Parameters:\n  Size:\n    Type: String\n    Default: small\n    AllowedValues: [small, large]\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\n    Default: subnet-1, subnet-2\n  NoDefault:\n    Type: String\n  Latest:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /aws/service/x\nMappings:\n  Sizes:\n    small: {{Cidr: 10.0.0.0/24}}\n    large: {{Cidr: 10.0.0.0/16}}\nOutputs:\n  Cidr: {{Value: !FindInMap [Sizes, !Ref Size, Cidr]}}\n  Second: {{Value: !Select [1, !Ref Subnets]}}\n  NoDefault: {{Value: !Ref NoDefault}}\n  Latest: {{Value: !Ref Latest}}\n  Fallback: {{Value: !FindInMap [Sizes, huge, Cidr, {{DefaultValue: none}}]}}\n"
    );
    let e = evaluate(&text, &[("Size", "large")], None);
    assert!(e.errors.is_empty(), "{:?}", e.errors);
    assert_eq!(e.output("Cidr"), "10.0.0.0/16");
    assert_eq!(e.output("Second"), "subnet-2");
    assert_eq!(e.output("NoDefault"), "${NoDefault}");
    assert_eq!(e.output("Latest"), "${Latest}");
    assert_eq!(e.output("Fallback"), "none");
    let e = evaluate(&text, &[("Size", "medium")], None);
    assert!(
        e.diagnostics.iter().any(|d| d.contains(
            "parameter Size is `medium`, which is not one of its AllowedValues (small, large)"
        )),
        "{:?}",
        e.diagnostics
    );
}

#[test]
fn imports_link_to_exports_across_templates() {
    let network = "Parameters:\n  Env: {Type: String, Default: dev}\nResources:\n  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\nOutputs:\n  Vpc:\n    Value: !Ref Vpc\n    Export: {Name: !Sub '${Env}-vpc'}\n  Cidr:\n    Value: !GetAtt Vpc.CidrBlock\n    Export: {Name: !Sub '${AWS::StackName}-cidr'}\n";
    let app = "Resources:\n  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x, VpcId: !ImportValue dev-vpc}}\nOutputs:\n  Vpc: {Value: !ImportValue dev-vpc}\n  Cidr: {Value: !ImportValue network-cidr}\n  Missing: {Value: !ImportValue other-vpc}\n";
    let e = evaluate_all(&[("network.yaml", network), ("app.yaml", app)], &[], None);
    assert!(e[0].errors.is_empty(), "{:?}", e[0].errors);
    assert_eq!(e[1].output("Vpc"), "${Vpc (AWS::EC2::VPC)}");
    // The export named from the stack name fits exactly one import.
    assert_eq!(e[1].output("Cidr"), "10.0.0.0/16");
    assert_eq!(e[1].output("Missing"), "${ImportValue other-vpc}");
    assert!(
        e[0].diagnostics
            .iter()
            .any(|d| d.contains("`other-vpc`: no given template exports it")),
        "{:?}",
        e[0].diagnostics
    );
}

#[test]
fn errors_point_at_the_template() {
    let text = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Ref Nothing\n      Tags:\n        - Key: k\n          Value: !GetAtt Missing.Arn\nConditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nOutputs:\n  X: {Value: !Select [5, [a, b]]}\n  Y: {Value: {'Fn::Nope': 1}}\n";
    let e = evaluate(text, &[], None);
    let errors = e.errors.join("\n");
    assert!(errors.contains("t.yaml:5:18: `Ref Nothing`: no parameter or resource of this template is named `Nothing`"), "{errors}");
    assert!(
        errors.contains(
            "t.yaml:8:18: `Fn::GetAtt Missing.Arn`: no resource of this template is named `Missing`"
        ),
        "{errors}"
    );
    assert!(
        errors.contains("condition `A` depends on itself")
            || errors.contains("condition `B` depends on itself"),
        "{errors}"
    );
    assert!(
        errors.contains("t.yaml:13:14: `Fn::Select` index 5 is out of range"),
        "{errors}"
    );
    assert!(
        errors.contains("t.yaml:14:15: unknown intrinsic function `Fn::Nope`"),
        "{errors}"
    );
}

#[test]
fn template_shape_checks() {
    let text = "Parameters:\n  NoType: {Default: x}\nResources:\n  Bad-Name: {Type: AWS::EC2::VPC}\n  NoType: {Properties: {}}\nOutputz: {}\n";
    let e = evaluate(text, &[], None);
    let d = e.diagnostics.join("\n");
    for expected in [
        "parameter NoType has no Type",
        "logical ID `Bad-Name` is not alphanumeric",
        "resource NoType has no Type",
        "`Outputz` is not a template section",
    ] {
        assert!(d.contains(expected), "missing {expected:?} in {d}");
    }
}

#[test]
fn reference_cycles_are_reported_at_the_resource_without_recursing() {
    // A property reading its own resource's attribute, two resources reading each other's, a
    // resource referring to itself, circular DependsOn: each is CloudFormation's "Circular
    // dependency between resources", and evaluation still finishes.
    let text = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !GetAtt Vpc.CidrBlock\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !GetAtt B.VpcId\n  B:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Sub '${A.VpcId}'\n  Self:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Ref Self\n  C:\n    Type: AWS::EC2::RouteTable\n    DependsOn: D\n  D:\n    Type: AWS::EC2::RouteTable\n    DependsOn: [C]\n  Fine:\n    Type: AWS::EC2::RouteTable\n    DependsOn: [C]\n    Properties:\n      VpcId: !Sub ['${X}', {X: !Ref Vpc}]\nOutputs:\n  Cidr: {Value: !GetAtt Vpc.CidrBlock}\n";
    let e = evaluate(text, &[], None);
    let d = e.diagnostics.join("\n");
    for expected in [
        "t.yaml:2:3: resource Vpc depends on itself",
        "t.yaml:6:3: resources A, B depend on each other in a cycle",
        "t.yaml:14:3: resource Self depends on itself",
        "t.yaml:18:3: resources C, D depend on each other in a cycle",
    ] {
        assert!(d.contains(expected), "missing {expected:?} in {d}");
    }
    assert_eq!(d.matches("depend").count(), 4, "{d}");
    assert_eq!(e.output("Cidr"), "${Vpc.CidrBlock (AWS::EC2::VPC)}");
}
