//! The page as a real browser sees it: Debian's Chromium, headless, dumps the DOM and takes a
//! screenshot, and its network log shows that the page asks for nothing. Two controls show that
//! the log does see a page's fetch, and that the report's Content Security Policy stops one.

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use scraper::Html;
use serde_json::Value;

use crate::support::{FIXTURE_MANY, privlink, reports, select};

/// Debian's chromium, as `scripts/test` installs it.
fn chromium() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("chromium"))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!("chromium is not installed: run scripts/test, which installs Debian's chromium")
    })
}

/// Runs headless Chromium on a page with a fresh profile, the flags that keep it off the network
/// on its own account, and a network log; returns standard output and the log.
fn browse(page: &Path, extra: &[&str]) -> (String, Value) {
    let work = tempfile::tempdir().expect("tempdir");
    let netlog = work.path().join("netlog.json");
    // To a file: a DOM larger than a pipe's buffer would stall a browser writing to a pipe.
    let dom = work.path().join("dom.html");
    let mut child = Process::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.path().join("profile").display()
        ))
        .arg(format!("--log-net-log={}", netlog.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(std::fs::File::create(&dom).expect("dom file"))
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    // A guard against a browser that never exits, not a measurement.
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not exit within 180 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = child.wait().expect("exit status");
    assert!(status.success(), "chromium failed on {}", page.display());
    let log = std::fs::read_to_string(&netlog).expect("chromium writes its network log");
    (
        std::fs::read_to_string(&dom).expect("utf-8 DOM"),
        serde_json::from_str(&log).expect("the network log is JSON"),
    )
}

/// The URLs the page itself asked for: requests whose network isolation key is the page's own
/// `file://` site. Chromium's own traffic (update checks and the like) has another key.
fn page_requests(log: &Value) -> Vec<String> {
    let types = &log["constants"]["logEventTypes"];
    let start = types["URL_REQUEST_START_JOB"].as_u64().expect("event type");
    log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start))
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.contains("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str().map(String::from))
        .filter(|url| !url.starts_with("file:") && !url.starts_with("data:"))
        .collect()
}

#[test]
fn chromium_renders_the_report_without_fetching_anything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("report.html");
    let (status, _) = privlink(&[
        "check",
        "--format",
        "html",
        "--output",
        page.to_str().expect("utf-8"),
        FIXTURE_MANY,
    ]);
    assert_eq!(status, 1, "the fixture has errors");
    let (_, json) = reports(&[FIXTURE_MANY]);

    let (dom, log) = browse(&page, &["--dump-dom"]);
    assert_eq!(
        page_requests(&log),
        Vec::<String>::new(),
        "the page fetched something"
    );
    let doc = Html::parse_document(&dom);
    assert_eq!(select(&doc, "svg.diagram rect.subnet").len(), 15);
    assert_eq!(
        select(&doc, "tr.finding").len(),
        json["findings"].as_array().expect("findings").len()
    );
    let shown: String = doc.root_element().text().collect();
    for f in json["findings"].as_array().expect("findings") {
        let message = f["message"].as_str().expect("message");
        assert!(shown.contains(message), "{message}");
    }
    assert!(!select(&doc, "svg.diagram g.link.v-blocked").is_empty());

    // The screenshot shows the drawing in its colours: the SVG rendered and its style applied.
    let shot = dir.path().join("report.png");
    browse(
        &page,
        &[
            "--window-size=1400,1400",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("chromium writes the screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut pixels).expect("a frame");
    let channels = info.color_type.samples();
    let count = |rgb: [u8; 3]| {
        pixels[..info.buffer_size()]
            .chunks(channels)
            .filter(|p| p[..3] == rgb)
            .count()
    };
    let (green, amber, red) = (
        count([0x1a, 0x7f, 0x37]),
        count([0xb2, 0x6b, 0x00]),
        count([0xcf, 0x22, 0x2e]),
    );
    assert!(
        green > 500 && amber > 200 && red > 200,
        "verdict colours on screen: green {green}, amber {amber}, red {red}"
    );
}

#[test]
fn the_network_log_sees_what_a_page_fetches_and_the_policy_stops_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Port 9 (discard) on the loopback: nothing listens, nothing leaves the machine.
    let image = r#"<img src="http://127.0.0.1:9/pixel.png" alt="">"#;
    let open = dir.path().join("open.html");
    std::fs::write(&open, format!("<!DOCTYPE html><title>t</title>{image}")).expect("write");
    let (_, log) = browse(&open, &["--dump-dom"]);
    assert_eq!(page_requests(&log), ["http://127.0.0.1:9/pixel.png"]);

    // The report's policy, taken from a real report.
    let (_, html) = privlink(&[
        "check",
        "--format",
        "html",
        "examples/dedicated-endpoint-subnets",
    ]);
    let doc = Html::parse_document(&html);
    let csp = select(&doc, "meta[http-equiv=\"Content-Security-Policy\"]")[0].html();
    let guarded = dir.path().join("guarded.html");
    std::fs::write(
        &guarded,
        format!("<!DOCTYPE html><head>{csp}<title>t</title></head>{image}"),
    )
    .expect("write");
    let (_, log) = browse(&guarded, &["--dump-dom"]);
    assert_eq!(page_requests(&log), Vec::<String>::new());
}
