//! How far an upload is, and the counters behind it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How far an upload is. Every field only grows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes hashed so far (the first pass).
    pub bytes_hashed: u64,
    /// Bytes of parts stored so far (counted when a part's `PUT` succeeds).
    pub bytes_sent: u64,
    /// Parts stored so far.
    pub parts_done: u64,
    /// Parts in all.
    pub parts_total: u64,
    /// The source's size.
    pub total_bytes: u64,
}

pub(super) type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Shared progress counters, reported through the callback.
#[derive(Clone)]
pub(super) struct Tracker {
    callback: Option<ProgressFn>,
    hashed: Arc<AtomicU64>,
    sent: Arc<AtomicU64>,
    parts: Arc<AtomicU64>,
    parts_total: u64,
    total_bytes: u64,
    /// Reports go out one at a time, so the values a callback sees never go down.
    reporting: Arc<std::sync::Mutex<()>>,
}

impl Tracker {
    pub(super) fn new(callback: Option<ProgressFn>, total_bytes: u64, parts_total: u64) -> Self {
        Tracker {
            callback,
            hashed: Arc::default(),
            sent: Arc::default(),
            parts: Arc::default(),
            parts_total,
            total_bytes,
            reporting: Arc::default(),
        }
    }

    fn report(&self) {
        if let Some(callback) = &self.callback {
            let _serial = self.reporting.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            callback(Progress {
                bytes_hashed: self.hashed.load(Ordering::Relaxed),
                bytes_sent: self.sent.load(Ordering::Relaxed),
                parts_done: self.parts.load(Ordering::Relaxed),
                parts_total: self.parts_total,
                total_bytes: self.total_bytes,
            });
        }
    }

    pub(super) fn hashed(&self, bytes: u64) {
        self.hashed.fetch_add(bytes, Ordering::Relaxed);
        self.report();
    }

    /// A part is stored: the bytes of it not yet counted as sent, and one more part done.
    pub(super) fn part_sent(&self, bytes: u64, counted: &AtomicU64) {
        let before = counted.swap(bytes, Ordering::Relaxed);
        self.sent.fetch_add(bytes.saturating_sub(before), Ordering::Relaxed);
        self.parts.fetch_add(1, Ordering::Relaxed);
        self.report();
    }

    /// An attempt of a part has handed `so_far` bytes to the connection: what exceeds the most
    /// any attempt of this part handed over (`counted`) counts as sent, so a retried part does
    /// not count twice and `bytes_sent` never goes down.
    pub(super) fn leaving(&self, so_far: u64, counted: &AtomicU64) {
        let before = counted.fetch_max(so_far, Ordering::Relaxed);
        if so_far > before {
            self.sent.fetch_add(so_far - before, Ordering::Relaxed);
            self.report();
        }
    }
}
