//! Endpoints that misbehave, on a free port of 127.0.0.1, served by a thread of the test: one that
//! accepts connections and never answers, one that answers HTTP 500, one that answers junk, one
//! that answers a byte per second forever, and one that denies every call as AWS does. Shared by
//! the tests of `privlink_aws` and of the `privlink` binary.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// How the endpoint answers.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Behaviour {
    /// Accepts the connection, reads the request, never answers.
    Silent,
    /// HTTP 500 with an HTML page.
    ServerError,
    /// HTTP 200 with a body that is not XML or JSON.
    Junk,
    /// HTTP 200 headers, then the body one byte per second, forever.
    Drip,
    /// HTTP 403/400 with AWS's access-denied error (EC2's XML, or the JSON of the JSON protocols).
    Deny,
}

/// Starts a server; returns its URL (`http://127.0.0.1:PORT`). It runs until the test ends.
pub(crate) fn start(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            match behaviour {
                // Kept open and unanswered until the test ends.
                Behaviour::Silent => held.push(stream),
                _ => {
                    std::thread::spawn(move || answer(stream, behaviour));
                }
            }
        }
    });
    url
}

/// Reads one request (headers and `Content-Length` bytes of body); returns it in lower case.
fn read_request(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&data).into_owned(),
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    }
    String::from_utf8_lossy(&data).to_ascii_lowercase()
}

fn respond(stream: &mut TcpStream, status: &str, headers: &str, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
        body.len()
    );
}

fn answer(mut stream: TcpStream, behaviour: Behaviour) {
    let request = read_request(&mut stream);
    match behaviour {
        Behaviour::Silent => {}
        Behaviour::ServerError => respond(
            &mut stream,
            "500 Internal Server Error",
            "Content-Type: text/html\r\n",
            "<html><body><h1>oops</h1><pre>Traceback (most recent call last): secret</pre></body></html>",
        ),
        Behaviour::Junk => respond(
            &mut stream,
            "200 OK",
            "Content-Type: text/plain\r\n",
            "this is not an AWS answer \u{1b}[31m at all",
        ),
        Behaviour::Drip => {
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000000\r\n\r\n"
            );
            while stream.write_all(b"<").is_ok() {
                std::thread::sleep(Duration::from_secs(1));
            }
        }
        Behaviour::Deny if request.contains("action=getcalleridentity") => respond(
            &mut stream,
            "403 Forbidden",
            "Content-Type: text/xml\r\n",
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:GetCallerIdentity</Message></Error><RequestId>6a0d3c6e-0000-0000-0000-000000000000</RequestId></ErrorResponse>",
        ),
        Behaviour::Deny if request.contains("x-amz-target:") || request.starts_with("get ") => {
            respond(
                &mut stream,
                "400 Bad Request",
                "Content-Type: application/x-amz-json-1.1\r\nx-amzn-ErrorType: AccessDeniedException\r\n",
                r#"{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/ci is not authorized to perform this action"}"#,
            );
        }
        Behaviour::Deny => respond(
            &mut stream,
            "403 Forbidden",
            "Content-Type: text/xml\r\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>6a0d3c6e-0000-0000-0000-000000000000</RequestID></Response>",
        ),
    }
}
