//! String functions: `format` (Go-style verbs as Terraform implements them), `join`, `split`,
//! `replace` (with `/regex/`), `regex`, case and trimming functions, `substr`.

use regex::Regex;

use super::{FnError, FnResult, arity, int_arg, list_arg, string_arg};
use crate::terraform::config::values::{number_to_string, to_string, type_description};
use crate::terraform::value::Value;

/// Widths, precisions and indents beyond this are refused or capped: input must not make privlink
/// allocate without bound.
const LIMIT: usize = 10_000;

pub(super) fn call(name: &str, args: &[Value]) -> Option<FnResult> {
    Some(match name {
        "format" => format(args),
        "join" => join(args),
        "split" => split(args),
        "lower" => unary(args, |s| s.to_lowercase()),
        "upper" => unary(args, |s| s.to_uppercase()),
        "title" => unary(args, title),
        "trimspace" => unary(args, |s| s.trim().to_owned()),
        "chomp" => unary(args, |s| s.trim_end_matches(['\n', '\r']).to_owned()),
        "strrev" => unary(args, |s| s.chars().rev().collect()),
        "indent" => indent(args),
        "trim" => binary(args, |s, cut| {
            s.trim_matches(|c| cut.contains(c)).to_owned()
        }),
        "trimprefix" => binary(args, |s, p| s.strip_prefix(p).unwrap_or(s).to_owned()),
        "trimsuffix" => binary(args, |s, p| s.strip_suffix(p).unwrap_or(s).to_owned()),
        "startswith" => predicate(args, |s, p| s.starts_with(p)),
        "endswith" => predicate(args, |s, p| s.ends_with(p)),
        "strcontains" => predicate(args, |s, p| s.contains(p)),
        "substr" => substr(args),
        "replace" => replace(args),
        "regex" => regex_fn(args, false),
        "regexall" => regex_fn(args, true),
        "tostring" => tostring(args),
        _ => return None,
    })
}

fn unary(args: &[Value], f: impl Fn(&str) -> String) -> FnResult {
    arity(args, 1, 1)?;
    Ok(Value::String(f(&string_arg(args, 0)?)))
}

fn binary(args: &[Value], f: impl Fn(&str, &str) -> String) -> FnResult {
    arity(args, 2, 2)?;
    Ok(Value::String(f(
        &string_arg(args, 0)?,
        &string_arg(args, 1)?,
    )))
}

fn predicate(args: &[Value], f: impl Fn(&str, &str) -> bool) -> FnResult {
    arity(args, 2, 2)?;
    Ok(Value::Bool(f(&string_arg(args, 0)?, &string_arg(args, 1)?)))
}

/// Go's `strings.Title`: a letter after a separator is upper-cased (title case, so `ǆ` → `ǅ`).
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous_is_separator = true;
    for c in s.chars() {
        if previous_is_separator {
            out.extend(title_case(c));
        } else {
            out.push(c);
        }
        previous_is_separator = if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else {
            c.is_whitespace()
        };
    }
    out
}

fn title_case(c: char) -> impl Iterator<Item = char> {
    // The digraphs have distinct title-case forms; everything else titles as upper case.
    let special = match c {
        'ǆ' | 'ǅ' | 'Ǆ' => Some('ǅ'),
        'ǉ' | 'ǈ' | 'Ǉ' => Some('ǈ'),
        'ǌ' | 'ǋ' | 'Ǌ' => Some('ǋ'),
        'ǳ' | 'ǲ' | 'Ǳ' => Some('ǲ'),
        _ => None,
    };
    let upper: Vec<char> = match special {
        Some(t) => vec![t],
        None => c.to_uppercase().collect(),
    };
    upper.into_iter()
}

fn indent(args: &[Value]) -> FnResult {
    arity(args, 2, 2)?;
    let spaces = usize::try_from(int_arg(args, 0)?)
        .ok()
        .filter(|n| *n <= LIMIT)
        .map(|n| " ".repeat(n))
        .ok_or_else(|| {
            FnError::Argument(format!(
                "the number of spaces must be between 0 and {LIMIT}"
            ))
        })?;
    let text = string_arg(args, 1)?;
    Ok(Value::String(text.replace('\n', &format!("\n{spaces}"))))
}

fn join(args: &[Value]) -> FnResult {
    arity(args, 2, usize::MAX)?;
    let separator = string_arg(args, 0)?;
    let mut parts = Vec::new();
    for i in 1..args.len() {
        for item in list_arg(args, i)? {
            parts.push(
                to_string(item)
                    .map_err(|e| FnError::Argument(format!("element of list {i}: {e}")))?,
            );
        }
    }
    Ok(Value::String(parts.join(&separator)))
}

fn split(args: &[Value]) -> FnResult {
    arity(args, 2, 2)?;
    let separator = string_arg(args, 0)?;
    let text = string_arg(args, 1)?;
    let parts: Vec<Value> = if separator.is_empty() {
        text.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        text.split(separator.as_str()).map(Value::string).collect()
    };
    Ok(Value::List(parts))
}

fn substr(args: &[Value]) -> FnResult {
    arity(args, 3, 3)?;
    let chars: Vec<char> = string_arg(args, 0)?.chars().collect();
    let len = i64::try_from(chars.len()).unwrap_or(i64::MAX);
    let mut offset = int_arg(args, 1)?;
    let length = int_arg(args, 2)?;
    if offset < 0 {
        offset += len;
    }
    let offset = offset.clamp(0, len);
    let end = if length < 0 {
        len
    } else {
        offset.saturating_add(length).min(len)
    };
    let (start, end) = (
        usize::try_from(offset).unwrap_or(0),
        usize::try_from(end.max(offset)).unwrap_or(0),
    );
    Ok(Value::String(chars[start..end].iter().collect()))
}

/// `replace`: a substring, or a regular expression when the search string is `/.../`, whose
/// replacement may use `$1` / `${1}` / `$name` as Go's `Regexp.ReplaceAllString` does.
fn replace(args: &[Value]) -> FnResult {
    arity(args, 3, 3)?;
    let text = string_arg(args, 0)?;
    let search = string_arg(args, 1)?;
    let replacement = string_arg(args, 2)?;
    if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
        let re = compile(&search[1..search.len() - 1])?;
        Ok(Value::String(
            re.replace_all(&text, replacement.as_str()).into_owned(),
        ))
    } else {
        Ok(Value::String(text.replace(&search, &replacement)))
    }
}

fn compile(pattern: &str) -> Result<Regex, FnError> {
    Regex::new(pattern).map_err(|e| FnError::Argument(format!("invalid regular expression: {e}")))
}

/// `regex` returns the match, the list of captures, or the map of named captures;
/// `regexall` a list of those for every match.
fn regex_fn(args: &[Value], all: bool) -> FnResult {
    arity(args, 2, 2)?;
    let re = compile(&string_arg(args, 0)?)?;
    let text = string_arg(args, 1)?;
    let named = re.capture_names().flatten().count() > 0;
    let groups = re.captures_len() - 1;
    let shape = |caps: regex::Captures<'_>| -> Value {
        let group = |i: usize| {
            caps.get(i)
                .map_or(Value::Null, |m| Value::string(m.as_str()))
        };
        if named {
            Value::Map(
                re.capture_names()
                    .enumerate()
                    .filter_map(|(i, n)| n.map(|n| (n.to_owned(), group(i))))
                    .collect(),
            )
        } else if groups > 0 {
            Value::List((1..=groups).map(group).collect())
        } else {
            group(0)
        }
    };
    if all {
        Ok(Value::List(re.captures_iter(&text).map(shape).collect()))
    } else {
        re.captures(&text).map(shape).ok_or_else(|| {
            FnError::Call("pattern did not match any part of the given string".into())
        })
    }
}

fn tostring(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    match &args[0] {
        Value::Null => Ok(Value::Null),
        v => to_string(v).map(Value::String).map_err(|_| {
            FnError::Argument(format!(
                "Invalid value for \"v\" parameter: cannot convert {} to string.",
                type_description(v)
            ))
        }),
    }
}

/// `format`: Go-style verbs with flags, width, precision and explicit argument indexes.
fn format(args: &[Value]) -> FnResult {
    arity(args, 1, usize::MAX)?;
    let spec = string_arg(args, 0)?;
    let values = &args[1..];
    let mut out = String::new();
    let mut chars = spec.char_indices().peekable();
    let mut next_arg = 0usize;
    while let Some((offset, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek().map(|(_, c)| *c) == Some('%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut verb = Verb::default();
        while let Some(&(_, flag)) = chars.peek() {
            match flag {
                '-' => verb.left = true,
                '+' => verb.plus = true,
                '0' => verb.zero = true,
                ' ' => verb.space = true,
                '#' => verb.sharp = true,
                _ => break,
            }
            chars.next();
        }
        if chars.peek().map(|(_, c)| *c) == Some('[') {
            chars.next();
            let digits: String = chars
                .by_ref()
                .map(|(_, c)| c)
                .take_while(|c| *c != ']')
                .collect();
            let index: usize = digits
                .parse()
                .map_err(|_| FnError::Call("invalid argument index".into()))?;
            next_arg = index.saturating_sub(1);
        }
        verb.width = read_number(&mut chars).map(|w| w.min(LIMIT));
        if chars.peek().map(|(_, c)| *c) == Some('.') {
            chars.next();
            verb.precision = Some(read_number(&mut chars).unwrap_or(0).min(LIMIT));
        }
        let Some((_, kind)) = chars.next() else {
            return Err(FnError::Call("unterminated format verb".into()));
        };
        // Terraform's messages give the verb's offset in the format string and a 1-based index.
        let value = values.get(next_arg).ok_or_else(|| {
            FnError::Call(format!(
                "not enough arguments for \"%{kind}\" at {offset}: need index {} but have {} total.",
                next_arg + 1,
                values.len()
            ))
        })?;
        next_arg += 1;
        let text = verb.render(kind, value).map_err(|e| {
            FnError::Call(format!(
                "unsupported value for \"%{kind}\" at {offset}: {e}"
            ))
        })?;
        out.push_str(&verb.pad(&text, kind));
    }
    Ok(Value::String(out))
}

fn read_number(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<usize> {
    let mut digits = String::new();
    while let Some(c) = chars.peek().map(|(_, c)| *c).filter(char::is_ascii_digit) {
        digits.push(c);
        chars.next();
    }
    digits.parse().ok()
}

#[derive(Default)]
struct Verb {
    left: bool,
    plus: bool,
    zero: bool,
    space: bool,
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

impl Verb {
    fn render(&self, kind: char, value: &Value) -> Result<String, String> {
        let integer = || -> Result<i64, String> {
            let n = crate::terraform::config::values::to_number(value)
                .map_err(|_| "number required.".to_owned())?;
            if n.fract() != 0.0 {
                return Err("an integer is required.".into());
            }
            #[allow(clippy::cast_possible_truncation)]
            Ok(n as i64)
        };
        let number = || {
            crate::terraform::config::values::to_number(value)
                .map_err(|_| "number required.".to_owned())
        };
        let sign = |negative: bool| {
            if negative {
                "-"
            } else if self.plus {
                "+"
            } else if self.space {
                " "
            } else {
                ""
            }
        };
        Ok(match kind {
            'v' if self.sharp => json(value)?,
            'v' => match value {
                Value::List(_) | Value::Set(_) | Value::Map(_) => json(value)?,
                Value::Null => "null".into(),
                other => to_string(other)?,
            },
            's' => {
                let s = to_string(value).map_err(|_| "string required.".to_owned())?;
                match self.precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            'q' => {
                serde_json::to_string(&to_string(value).map_err(|_| "string required.".to_owned())?)
                    .unwrap_or_default()
            }
            't' => value.as_bool().ok_or("bool required.")?.to_string(),
            'd' => {
                let n = integer()?;
                format!("{}{}", sign(n < 0), n.unsigned_abs())
            }
            'b' => format!("{:b}", integer()?),
            'o' => format!("{:o}", integer()?),
            'x' => match value {
                Value::String(s) if s.parse::<f64>().is_err() => {
                    s.bytes().map(|b| format!("{b:02x}")).collect()
                }
                _ => format!("{:x}", integer()?),
            },
            'X' => format!("{:X}", integer()?),
            'f' | 'F' => {
                let n = number()?;
                format!(
                    "{}{:.*}",
                    sign(n < 0.0),
                    self.precision.unwrap_or(6),
                    n.abs()
                )
            }
            'e' | 'E' => {
                let n = number()?;
                let text = go_exponent(n.abs(), self.precision.unwrap_or(6));
                let text = if kind == 'E' {
                    text.to_uppercase()
                } else {
                    text
                };
                format!("{}{text}", sign(n < 0.0))
            }
            'g' | 'G' => {
                let n = number()?;
                format!("{}{}", sign(n < 0.0), number_to_string(n.abs()))
            }
            other => return Err(format!("unrecognized format verb '{other}'")),
        })
    }

    fn pad(&self, text: &str, kind: char) -> String {
        let Some(width) = self.width else {
            return text.to_owned();
        };
        let len = text.chars().count();
        if len >= width {
            return text.to_owned();
        }
        let fill = width - len;
        if self.left {
            format!("{text}{}", " ".repeat(fill))
        } else if self.zero
            && matches!(
                kind,
                'd' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'b' | 'o' | 'x' | 'X'
            )
        {
            let (sign, digits) = match text.chars().next() {
                Some(c @ ('-' | '+' | ' ')) => (c.to_string(), &text[1..]),
                _ => (String::new(), text),
            };
            format!("{sign}{}{digits}", "0".repeat(fill))
        } else {
            format!("{}{text}", " ".repeat(fill))
        }
    }
}

/// Go's `%e`: mantissa with `precision` decimals, exponent with a sign and at least two digits.
fn go_exponent(n: f64, precision: usize) -> String {
    let text = format!("{n:.precision$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

fn json(value: &Value) -> Result<String, String> {
    super::encoding::encode(value).ok_or_else(|| "value is not fully known".to_owned())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::terraform::value::Value;

    fn s(text: &str) -> Value {
        Value::string(text)
    }

    #[test]
    fn format_matches_terraform_console() {
        assert_eq!(
            f("format", &[s("%s-%d"), s("a"), v("3")]).unwrap(),
            s("a-3")
        );
        assert_eq!(
            f(
                "format",
                &[
                    s("%05.2f|%x|%X|%o|%b|%e|%q|%t|%v|%#v"),
                    v("3.14159"),
                    v("255"),
                    v("255"),
                    v("8"),
                    v("5"),
                    v("1234.5"),
                    s("hi"),
                    v("true"),
                    v("[1, \"a\"]"),
                    v("{a = 1}")
                ]
            )
            .unwrap(),
            s("03.14|ff|FF|10|101|1.234500e+03|\"hi\"|true|[1,\"a\"]|{\"a\":1}")
        );
        assert_eq!(
            f(
                "format",
                &[s("%-5s|%5s|%%|%.3s"), s("ab"), s("cd"), s("abcdef")]
            )
            .unwrap(),
            s("ab   |   cd|%|abc")
        );
        assert_eq!(
            f(
                "format",
                &[s("%8.3f|%-8d|%+d"), v("3.14159"), v("42"), v("5")]
            )
            .unwrap(),
            s("   3.142|42      |+5")
        );
        assert_eq!(
            f("format", &[s("%[2]s %[1]s"), s("a"), s("b")]).unwrap(),
            s("b a")
        );
        assert_eq!(f("format", &[s("%s"), v("1.50")]).unwrap(), s("1.5"));
        assert_eq!(f("format", &[s("%s"), v("true")]).unwrap(), s("true"));
        assert_eq!(f("format", &[s("%d"), s("12")]).unwrap(), s("12"));
        assert_eq!(
            fails("format", &[s("%d"), v("3.5")]),
            "unsupported value for \"%d\" at 0: an integer is required."
        );
        assert_eq!(
            fails("format", &[s("%s"), v("[1, 2]")]),
            "unsupported value for \"%s\" at 0: string required."
        );
    }

    #[test]
    fn string_functions_match_terraform_console() {
        assert_eq!(f("join", &[s(","), v("[\"a\", \"b\"]")]).unwrap(), s("a,b"));
        assert_eq!(f("split", &[s(","), s("")]).unwrap(), v("[\"\"]"));
        assert_eq!(
            f("split", &[s(","), s("a,,b")]).unwrap(),
            v("[\"a\", \"\", \"b\"]")
        );
        assert_eq!(
            f("split", &[s(""), s("abc")]).unwrap(),
            v("[\"a\", \"b\", \"c\"]")
        );
        assert_eq!(
            f("title", &[s("hello world-foo bar_baz")]).unwrap(),
            s("Hello World-Foo Bar_baz")
        );
        assert_eq!(f("title", &[s("ǆemo")]).unwrap(), s("ǅemo"));
        assert_eq!(f("upper", &[s("aé")]).unwrap(), s("AÉ"));
        assert_eq!(f("lower", &[s("AB")]).unwrap(), s("ab"));
        assert_eq!(f("trimspace", &[s("  x \n")]).unwrap(), s("x"));
        assert_eq!(f("trim", &[s("?!hello?!"), s("!?")]).unwrap(), s("hello"));
        assert_eq!(
            f("trimprefix", &[s("helloworld"), s("hello")]).unwrap(),
            s("world")
        );
        assert_eq!(
            f("trimsuffix", &[s("helloworld"), s("world")]).unwrap(),
            s("hello")
        );
        assert_eq!(
            f("substr", &[s("hello"), v("1"), v("3")]).unwrap(),
            s("ell")
        );
        assert_eq!(
            f("substr", &[s("hello"), v("-3"), v("-1")]).unwrap(),
            s("llo")
        );
        assert_eq!(
            f("substr", &[s("hello"), v("1"), v("100")]).unwrap(),
            s("ello")
        );
        assert_eq!(f("substr", &[s("héllo"), v("1"), v("2")]).unwrap(), s("él"));
        assert_eq!(
            f("strcontains", &[s("hello"), s("ell")]).unwrap(),
            v("true")
        );
        assert_eq!(f("startswith", &[s("hello"), s("he")]).unwrap(), v("true"));
        assert_eq!(f("endswith", &[s("hello"), s("he")]).unwrap(), v("false"));
        assert_eq!(f("chomp", &[s("x\n\n")]).unwrap(), s("x"));
        assert_eq!(f("strrev", &[s("abc")]).unwrap(), s("cba"));
        assert_eq!(f("indent", &[v("2"), s("a\nb")]).unwrap(), s("a\n  b"));
        assert_eq!(f("tostring", &[v("1.5")]).unwrap(), s("1.5"));
        assert_eq!(f("tostring", &[v("true")]).unwrap(), s("true"));
        assert!(f("tostring", &[v("[1]")]).is_err());
        // Inputs cannot make privlink allocate without bound.
        assert!(f("indent", &[v("1e15"), s("a\nb")]).is_err());
        let wide = f("format", &[s("%999999999d"), v("1")]).unwrap();
        assert_eq!(wide.as_str().unwrap().len(), 10_000);
        assert_eq!(
            f("substr", &[s("abc"), v("1"), v("9223372036854775807")]).unwrap(),
            s("bc")
        );
    }

    #[test]
    fn replace_and_regex_match_terraform_console() {
        assert_eq!(
            f("replace", &[s("hello"), s("l"), s("L")]).unwrap(),
            s("heLLo")
        );
        assert_eq!(
            f("replace", &[s("hello world"), s("/o(.)/"), s("0$1")]).unwrap(),
            s("hell0 w0rld")
        );
        assert_eq!(
            f("replace", &[s("a-b"), s("/(\\w)-(\\w)/"), s("$2-$1")]).unwrap(),
            s("b-a")
        );
        assert_eq!(
            f("regex", &[s("[a-z]+"), s("123abc456")]).unwrap(),
            s("abc")
        );
        assert_eq!(
            f("regex", &[s("(\\d+)-(\\d+)"), s("10-20")]).unwrap(),
            v("[\"10\", \"20\"]")
        );
        assert_eq!(
            f("regex", &[s("(?P<a>\\d+)-(?P<b>\\d+)"), s("10-20")]).unwrap(),
            v("{a = \"10\", b = \"20\"}")
        );
        assert_eq!(
            f("regexall", &[s("\\d"), s("a1b2")]).unwrap(),
            v("[\"1\", \"2\"]")
        );
        assert!(fails("regex", &[s("z"), s("abc")]).contains("did not match"));
    }

    #[test]
    fn more_format_answers_from_terraform_console() {
        assert_eq!(
            f("format", &[s("%5.1f%%"), v("12.345")]).unwrap(),
            s(" 12.3%")
        );
        assert_eq!(f("format", &[s("%q"), s("a\"b")]).unwrap(), s("\"a\\\"b\""));
        assert_eq!(
            fails("format", &[s("%s")]),
            "not enough arguments for \"%s\" at 0: need index 1 but have 0 total."
        );
        assert_eq!(
            fails("format", &[s("%d %d"), v("1")]),
            "not enough arguments for \"%d\" at 3: need index 2 but have 1 total."
        );
        assert_eq!(
            f("indent", &[v("2"), s("a\nb\n")]).unwrap(),
            s("a\n  b\n  ")
        );
        assert_eq!(f("title", &[s("")]).unwrap(), s(""));
        assert_eq!(f("substr", &[s("abc"), v("5"), v("1")]).unwrap(), s(""));
        assert_eq!(f("replace", &[s("aaa"), s("a"), s("")]).unwrap(), s(""));
        assert_eq!(f("trim", &[s("  x  "), s(" ")]).unwrap(), s("x"));
        assert_eq!(f("tostring", &[Value::Null]).unwrap(), Value::Null);
    }
}
