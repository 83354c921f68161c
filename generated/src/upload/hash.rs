//! The checksums' pass: every part's SHA-256 and the whole file's, before the file is created;
//! and each part's fingerprint, which the part's bytes are checked against as they are sent.

use std::io;

use base64::Engine as _;
use bytes::Bytes;
use sha2::{Digest, Sha256};
use xxhash_rust::xxh3::Xxh3;

use super::plan::PlannedPart;
use super::progress::Tracker;
use super::source::Prepared;
use super::UploadError;

/// Chunks queued for each hashing thread.
const HASH_QUEUE: usize = 8;

/// The checksums of one pass.
pub(super) struct Hashes {
    /// Each part's SHA-256, base64.
    pub(super) parts: Vec<String>,
    /// Each part's XXH3-128: the bytes sent later are checked against it (a changed source is
    /// caught without a second SHA-256 pass, at a tenth of its cost).
    pub(super) fingerprints: Vec<u128>,
    /// The whole source's SHA-256, base64.
    pub(super) whole: String,
}

pub(super) fn base64(digest: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(digest)
}

/// One pass over the source: the whole file's SHA-256 on one thread, the parts' SHA-256 and
/// fingerprints on another.
pub(super) async fn hash(source: &Prepared, plan: &[PlannedPart], tracker: &Tracker) -> Result<Hashes, UploadError> {
    let (whole_tx, mut whole_rx) = tokio::sync::mpsc::channel::<Bytes>(HASH_QUEUE);
    let (parts_tx, mut parts_rx) = tokio::sync::mpsc::channel::<Bytes>(HASH_QUEUE);
    let whole = tokio::task::spawn_blocking(move || {
        let mut hasher = Sha256::new();
        while let Some(chunk) = whole_rx.blocking_recv() {
            hasher.update(&chunk);
        }
        base64(&hasher.finalize())
    });
    let ends: Vec<u64> = plan.iter().map(|part| part.end).collect();
    let parts = tokio::task::spawn_blocking(move || {
        let mut digests = Vec::with_capacity(ends.len());
        let mut fingerprints = Vec::with_capacity(ends.len());
        let mut hasher = Sha256::new();
        let mut quick = Xxh3::new();
        let mut offset = 0u64;
        let mut ends = ends.into_iter().peekable();
        let mut end_part = |hasher: &mut Sha256, quick: &mut Xxh3| {
            digests.push(base64(&std::mem::take(hasher).finalize()));
            fingerprints.push(quick.digest128());
            quick.reset();
        };
        // Empty parts (a zero-byte source) end before any chunk.
        while ends.peek() == Some(&offset) {
            let _ = ends.next();
            end_part(&mut hasher, &mut quick);
        }
        while let Some(chunk) = parts_rx.blocking_recv() {
            let mut rest = &chunk[..];
            while !rest.is_empty() {
                let Some(&end) = ends.peek() else { break };
                let take = usize::try_from(end - offset).unwrap_or(usize::MAX).min(rest.len());
                hasher.update(&rest[..take]);
                quick.update(&rest[..take]);
                rest = &rest[take..];
                offset += take as u64;
                if offset == end {
                    let _ = ends.next();
                    end_part(&mut hasher, &mut quick);
                }
            }
        }
        (digests, fingerprints)
    });
    let fed = source
        .for_each_chunk(|chunk| {
            let (whole_tx, parts_tx) = (whole_tx.clone(), parts_tx.clone());
            let len = chunk.len() as u64;
            async move {
                let closed = || io::Error::other("a hashing thread stopped");
                whole_tx.send(chunk.clone()).await.map_err(|_| closed())?;
                parts_tx.send(chunk).await.map_err(|_| closed())?;
                tracker.hashed(len);
                Ok(())
            }
        })
        .await;
    drop((whole_tx, parts_tx));
    let whole = whole.await.map_err(|err| UploadError::Io(io::Error::other(err)))?;
    let (parts, fingerprints) = parts.await.map_err(|err| UploadError::Io(io::Error::other(err)))?;
    fed?;
    if parts.len() != plan.len() {
        return Err(UploadError::Io(io::Error::new(io::ErrorKind::UnexpectedEof, "the source ended early")));
    }
    Ok(Hashes { parts, fingerprints, whole })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::plan::plan_parts;

    const MIB: u64 = 1024 * 1024;

    #[tokio::test]
    async fn one_pass_hashes_parts_and_whole() {
        let data: Vec<u8> = (0..(12 * MIB + 3)).map(|i| (i % 251) as u8).collect();
        let plan = plan_parts(data.len() as u64, 5 * MIB).unwrap();
        let source = Prepared::Bytes(Bytes::from(data.clone()));
        let tracker = Tracker::new(None, data.len() as u64, plan.len() as u64);
        let hashes = hash(&source, &plan, &tracker).await.unwrap();
        assert_eq!(hashes.whole, base64(&Sha256::digest(&data)));
        for ((part, digest), fingerprint) in plan.iter().zip(&hashes.parts).zip(&hashes.fingerprints) {
            let bytes = &data[part.start as usize..part.end as usize];
            assert_eq!(digest, &base64(&Sha256::digest(bytes)));
            assert_eq!(*fingerprint, xxhash_rust::xxh3::xxh3_128(bytes));
        }
        let empty = hash(&Prepared::Bytes(Bytes::new()), &plan_parts(0, 5 * MIB).unwrap(), &tracker).await.unwrap();
        assert_eq!(empty.parts, [base64(&Sha256::digest(b""))]);
    }
}
