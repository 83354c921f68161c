//! A loopback server speaking raw HTTP/1.1, for what wiremock cannot do: endless bodies, heads
//! without bodies, connections never answered.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What a raw HTTP/1.1 server does with every connection after reading the request head.
#[derive(Clone, Debug)]
pub enum Raw {
    /// Writes this head, then a chunked body of `x` forever (until the client goes away).
    Endless(&'static str),
    /// Writes this head, then a chunked body of this many `x`.
    Sized(&'static str, u64),
    /// Writes this head, then nothing.
    HeadOnly(String),
    /// Writes nothing: accepts and never answers.
    Silent,
}

/// A loopback server speaking raw HTTP/1.1, counting connections and the body bytes it managed
/// to write.
#[derive(Debug)]
pub struct RawServer {
    /// Its base URL.
    pub url: String,
    /// Connections accepted so far.
    pub connections: Arc<AtomicUsize>,
    /// Body bytes written so far.
    pub written: Arc<AtomicU64>,
}

/// Starts one on a free loopback port (in the current runtime).
pub async fn raw_server(behaviour: Raw) -> std::io::Result<RawServer> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let (connections, written) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicU64::new(0)));
    let (count, total) = (connections.clone(), written.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            count.fetch_add(1, Ordering::SeqCst);
            let (behaviour, total) = (behaviour.clone(), total.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                match behaviour {
                    Raw::Endless(status_line) => {
                        let head = format!("{status_line}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
                        if socket.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let mut chunk = b"10000\r\n".to_vec();
                        chunk.extend(std::iter::repeat_n(b'x', 0x10000));
                        chunk.extend_from_slice(b"\r\n");
                        while socket.write_all(&chunk).await.is_ok() {
                            total.fetch_add(0x10000, Ordering::SeqCst);
                        }
                    }
                    Raw::Sized(status_line, len) => {
                        let head = format!("{status_line}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
                        if socket.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let mut left = len;
                        let piece = vec![b'x'; 0x10000];
                        while left > 0 {
                            let size = left.min(0x10000) as usize;
                            let chunk = [format!("{size:x}\r\n").as_bytes(), &piece[..size], b"\r\n"].concat();
                            if socket.write_all(&chunk).await.is_err() {
                                return;
                            }
                            total.fetch_add(size as u64, Ordering::SeqCst);
                            left -= size as u64;
                        }
                        let _ = socket.write_all(b"0\r\n\r\n").await;
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                    Raw::HeadOnly(head) => {
                        let _ = socket.write_all(head.as_bytes()).await;
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                    Raw::Silent => tokio::time::sleep(Duration::from_secs(30)).await,
                }
            });
        }
    });
    Ok(RawServer { url, connections, written })
}

