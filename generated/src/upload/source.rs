//! What is uploaded, and reading it: whole (the checksums' pass) or a part at a time.

use std::fmt;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt};
use xxhash_rust::xxh3::Xxh3;

/// Bytes read at a time while hashing.
const HASH_CHUNK: usize = 1024 * 1024;
/// Bytes read at a time while sending a part.
const PART_CHUNK: u64 = 1024 * 1024;
/// Reads of a part ahead of the connection (so the next bytes are ready when it takes them).
const READ_AHEAD: usize = 2;

/// Why a part's bytes were not sent as they were hashed.
#[derive(Debug)]
pub(super) enum Unsent {
    /// They differ from what was hashed (or the source got shorter).
    Changed,
    /// Reading failed.
    Io(io::Error),
}

/// What to upload.
pub struct UploadSource(pub(super) SourceKind);

pub(super) enum SourceKind {
    Path(PathBuf),
    Bytes(Bytes),
    Reader(Box<dyn SeekRead>),
    Stream(Box<dyn AsyncRead + Send + Unpin>),
}

pub(super) trait SeekRead: AsyncRead + AsyncSeek + Send + Unpin {}
impl<T: AsyncRead + AsyncSeek + Send + Unpin> SeekRead for T {}

impl UploadSource {
    /// A file on disk; its name is the default name of the upload.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        UploadSource(SourceKind::Path(path.into()))
    }

    /// Bytes in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        UploadSource(SourceKind::Bytes(bytes.into()))
    }

    /// Any reader that can seek (each part is re-read from it).
    pub fn reader<R: AsyncRead + AsyncSeek + Send + Unpin + 'static>(reader: R) -> Self {
        UploadSource(SourceKind::Reader(Box::new(reader)))
    }

    /// A plain stream: it is spooled to a temporary file first, since every part's checksum must
    /// be known before the upload is created.
    pub fn stream<R: AsyncRead + Send + Unpin + 'static>(stream: R) -> Self {
        UploadSource(SourceKind::Stream(Box::new(stream)))
    }
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            SourceKind::Path(path) => f.debug_tuple("Path").field(path).finish(),
            SourceKind::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            SourceKind::Reader(_) => f.write_str("Reader"),
            SourceKind::Stream(_) => f.write_str("Stream"),
        }
    }
}

impl From<PathBuf> for UploadSource {
    fn from(path: PathBuf) -> Self {
        UploadSource::path(path)
    }
}

impl From<&Path> for UploadSource {
    fn from(path: &Path) -> Self {
        UploadSource::path(path)
    }
}

impl From<Bytes> for UploadSource {
    fn from(bytes: Bytes) -> Self {
        UploadSource::bytes(bytes)
    }
}

impl From<Vec<u8>> for UploadSource {
    fn from(bytes: Vec<u8>) -> Self {
        UploadSource::bytes(bytes)
    }
}

/// The source, ready for random access.
pub(super) enum Prepared {
    File { path: PathBuf, len: u64, _spooled: Option<tempfile::TempPath> },
    Bytes(Bytes),
    Reader { reader: tokio::sync::Mutex<Box<dyn SeekRead>>, len: u64 },
}

impl Prepared {
    pub(super) async fn new(source: SourceKind) -> io::Result<Self> {
        Ok(match source {
            SourceKind::Path(path) => {
                let len = tokio::fs::metadata(&path).await.map_err(|err| with_path(&path, err))?.len();
                Prepared::File { path, len, _spooled: None }
            }
            SourceKind::Bytes(bytes) => Prepared::Bytes(bytes),
            SourceKind::Reader(mut reader) => {
                let len = reader.seek(io::SeekFrom::End(0)).await?;
                Prepared::Reader { reader: tokio::sync::Mutex::new(reader), len }
            }
            SourceKind::Stream(mut stream) => {
                let spool = tempfile::NamedTempFile::new()?;
                let (file, path) = spool.into_parts();
                let mut file = tokio::fs::File::from_std(file);
                let len = tokio::io::copy(&mut stream, &mut file).await?;
                tokio::io::AsyncWriteExt::flush(&mut file).await?;
                Prepared::File { path: path.to_path_buf(), len, _spooled: Some(path) }
            }
        })
    }

    pub(super) fn len(&self) -> u64 {
        match self {
            Prepared::File { len, .. } | Prepared::Reader { len, .. } => *len,
            Prepared::Bytes(bytes) => bytes.len() as u64,
        }
    }

    /// Whether the source still has the length it had when the upload was planned.
    pub(super) async fn same_len(&self) -> io::Result<bool> {
        match self {
            Prepared::Bytes(_) => Ok(true),
            Prepared::File { path, len, .. } => Ok(tokio::fs::metadata(path).await.map_err(|err| with_path(path, err))?.len() == *len),
            Prepared::Reader { reader, len } => Ok(reader.lock().await.seek(io::SeekFrom::End(0)).await? == *len),
        }
    }

    /// Bytes `start..end`, read afresh.
    pub(super) async fn read_range(&self, start: u64, end: u64) -> io::Result<Bytes> {
        let len = usize::try_from(end - start).map_err(|_| io::Error::other("part too large for memory"))?;
        match self {
            Prepared::Bytes(bytes) => {
                let (start, end) = (start as usize, end as usize);
                bytes.get(start..end).map(|_| bytes.slice(start..end)).ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))
            }
            Prepared::File { path, .. } => {
                // One blocking read straight into the buffer (no copy through tokio's).
                let path = path.clone();
                let read = move || {
                    let mut file = std::fs::File::open(&path).map_err(|err| with_path(&path, err))?;
                    io::Seek::seek(&mut file, io::SeekFrom::Start(start))?;
                    let mut buffer = vec![0; len];
                    io::Read::read_exact(&mut file, &mut buffer)?;
                    Ok(Bytes::from(buffer))
                };
                tokio::task::spawn_blocking(read).await.map_err(io::Error::other)?
            }
            Prepared::Reader { reader, .. } => {
                let mut reader = reader.lock().await;
                reader.seek(io::SeekFrom::Start(start)).await?;
                read_exact(&mut *reader, len).await
            }
        }
    }

    /// Bytes `start..end` read afresh as they are sent, a MiB at a time and [`READ_AHEAD`] reads
    /// ahead of the connection, so sending never waits for a whole part to be read. Each read goes
    /// into an XXH3-128 that must equal `fingerprint` (the checksums' pass's) before the part's
    /// last bytes are handed out: a part whose bytes changed since they were hashed never reaches
    /// storage whole. (Bytes in memory cannot change: they are not checked.)
    pub(super) fn part_stream(self: &Arc<Self>, start: u64, end: u64, fingerprint: u128) -> impl Stream<Item = Result<Bytes, Unsent>> + Send + 'static {
        let source = self.clone();
        let reads = stream::iter((start..end).step_by(PART_CHUNK as usize))
            .map(move |offset| {
                let source = source.clone();
                async move { source.read_range(offset, (offset + PART_CHUNK).min(end)).await }
            })
            .buffered(READ_AHEAD);
        let mut check = (!matches!(**self, Prepared::Bytes(_))).then(Xxh3::new);
        let mut left = end - start;
        reads.map(move |read| {
            let chunk = read.map_err(|err| if err.kind() == io::ErrorKind::UnexpectedEof { Unsent::Changed } else { Unsent::Io(err) })?;
            left -= chunk.len() as u64;
            if let Some(check) = &mut check {
                check.update(&chunk);
                if left == 0 && check.digest128() != fingerprint {
                    return Err(Unsent::Changed);
                }
            }
            Ok(chunk)
        })
    }

    /// Calls `f` with consecutive chunks of the whole source, in order.
    pub(super) async fn for_each_chunk<F, Fut>(&self, mut f: F) -> io::Result<()>
    where
        F: FnMut(Bytes) -> Fut,
        Fut: Future<Output = io::Result<()>>,
    {
        match self {
            Prepared::Bytes(bytes) => {
                let mut offset = 0;
                while offset < bytes.len() {
                    let end = (offset + HASH_CHUNK).min(bytes.len());
                    f(bytes.slice(offset..end)).await?;
                    offset = end;
                }
                Ok(())
            }
            Prepared::File { path, len, .. } => {
                let mut file = tokio::fs::File::open(path).await.map_err(|err| with_path(path, err))?;
                chunks(&mut file, *len, f).await
            }
            Prepared::Reader { reader, len } => {
                let mut reader = reader.lock().await;
                reader.seek(io::SeekFrom::Start(0)).await?;
                chunks(&mut *reader, *len, f).await
            }
        }
    }
}

/// The same error, its message naming the file (`dist/app.zip: No such file or directory (os error
/// 2)`); the kind is kept.
fn with_path(path: &Path, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}

async fn read_exact<R: AsyncRead + Unpin + ?Sized>(reader: &mut R, len: usize) -> io::Result<Bytes> {
    let mut buffer = BytesMut::zeroed(len);
    reader.read_exact(&mut buffer).await?;
    Ok(buffer.freeze())
}

async fn chunks<R, F, Fut>(reader: &mut R, len: u64, mut f: F) -> io::Result<()>
where
    R: AsyncRead + Unpin + ?Sized,
    F: FnMut(Bytes) -> Fut,
    Fut: Future<Output = io::Result<()>>,
{
    let mut remaining = len;
    while remaining > 0 {
        let size = remaining.min(HASH_CHUNK as u64) as usize;
        let chunk = read_exact(reader, size).await?;
        remaining -= size as u64;
        f(chunk).await?;
    }
    Ok(())
}
