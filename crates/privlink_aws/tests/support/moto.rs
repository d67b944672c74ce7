//! A real `moto` server (PyPI `moto[server]`) on a free port of 127.0.0.1, one per test, killed when
//! the guard drops (also when the test panics). `scripts/test` installs moto into `.venv`. Shared by
//! the tests of `privlink_aws` and of the `privlink` binary.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running moto server.
pub(crate) struct Moto {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

/// The Python of moto's virtual environment (it has boto3, which moto depends on).
pub(crate) fn python() -> PathBuf {
    moto_server().with_file_name("python")
}

/// Where `moto_server` is: on PATH (scripts/test puts `.venv/bin` there), or in the workspace's `.venv`.
fn moto_server() -> PathBuf {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/moto_server");
    if venv.is_file() {
        return venv;
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("moto_server"))
        .find(|p| p.is_file());
    on_path.unwrap_or_else(|| {
        panic!("moto_server not found: run scripts/test, which installs moto[server] into .venv")
    })
}

impl Moto {
    /// Starts a server and waits until it answers.
    pub(crate) fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts a server with extra environment (moto's settings) and waits until it answers.
    pub(crate) fn start_with(env: &[(&str, &str)]) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let dir = tempfile::tempdir().expect("a temporary directory");
        let child = Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_RECORDER_FILEPATH", dir.path().join("recording"))
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts (run scripts/test to install it)");
        let moto = Self { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() || moto.get("/moto-api/").is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not answer on port {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// The endpoint URL.
    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// GET a path of the server.
    pub(crate) fn get(&self, path: &str) -> Result<String, String> {
        ureq::get(format!("{}{path}", self.url()))
            .call()
            .map_err(|e| e.to_string())?
            .body_mut()
            .read_to_string()
            .map_err(|e| e.to_string())
    }

    /// POST to a path of the server (moto's `/moto-api/` controls).
    pub(crate) fn post(&self, path: &str) {
        ureq::post(format!("{}{path}", self.url()))
            .send_empty()
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    }

    /// Where the recorder writes.
    pub(crate) fn recording_path(&self) -> PathBuf {
        self.dir.path().join("recording")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
