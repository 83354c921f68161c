//! The parts: how a source is split, and what Polar returned for them.

use crate::models::{FileUpload, S3FileCreateMultipart, S3FileUploadPart};

use super::UploadError;

/// The part size Polar's dashboard uses.
pub const DEFAULT_PART_SIZE: u64 = 10_000_000;
/// Storage's smallest part (every part but the last).
pub const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;
/// The largest number of parts: the document's `maxItems` of a create body's `parts` (storage's
/// limit too).
pub const MAX_PARTS: u64 = S3FileCreateMultipart::PARTS_MAX_ITEMS as u64;
/// Storage's largest part.
pub const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;

/// One planned part: `start` inclusive, `end` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannedPart {
    /// From 1.
    pub number: i64,
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

/// Splits `size` bytes into parts of `part_size` (grown so that at most 10,000 parts are needed).
/// Every part but the last is full; a size that is a multiple of the part size gets no empty
/// trailing part; an empty source is one empty part.
pub fn plan_parts(size: u64, part_size: u64) -> Result<Vec<PlannedPart>, UploadError> {
    if part_size < MIN_PART_SIZE {
        return Err(UploadError::InvalidOptions(format!("the part size {part_size} is below storage's minimum of {MIN_PART_SIZE} bytes")));
    }
    let part_size = part_size.max(size.div_ceil(MAX_PARTS));
    if part_size > MAX_PART_SIZE {
        return Err(UploadError::Limits(format!("{size} bytes need parts larger than storage's maximum of {MAX_PART_SIZE} bytes")));
    }
    if size == 0 {
        return Ok(vec![PlannedPart { number: 1, start: 0, end: 0 }]);
    }
    let count = size.div_ceil(part_size);
    Ok((0..count)
        .map(|i| PlannedPart { number: i as i64 + 1, start: i * part_size, end: ((i + 1) * part_size).min(size) })
        .collect())
}

/// The parts Polar returned, in plan order, checked against the plan.
pub(super) fn check_returned_parts(upload: &FileUpload, plan: &[PlannedPart]) -> Result<Vec<S3FileUploadPart>, UploadError> {
    let mut returned = upload.upload.parts.clone();
    returned.sort_by_key(|part| part.number);
    if returned.len() != plan.len() {
        return Err(UploadError::Protocol(format!("{} parts were planned, Polar returned {}", plan.len(), returned.len())));
    }
    for (part, planned) in returned.iter().zip(plan) {
        if part.number != planned.number || part.chunk_start != planned.start as i64 || part.chunk_end != planned.end as i64 {
            return Err(UploadError::Protocol(format!(
                "part {} was planned as bytes {}..{}, Polar returned part {} as {}..{}",
                planned.number, planned.start, planned.end, part.number, part.chunk_start, part.chunk_end
            )));
        }
    }
    Ok(returned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1024 * 1024;

    #[test]
    fn parts_cover_the_file_without_an_empty_tail() {
        let plan = plan_parts(25_000_000, DEFAULT_PART_SIZE).unwrap();
        assert_eq!(
            plan,
            [
                PlannedPart { number: 1, start: 0, end: 10_000_000 },
                PlannedPart { number: 2, start: 10_000_000, end: 20_000_000 },
                PlannedPart { number: 3, start: 20_000_000, end: 25_000_000 },
            ]
        );
        assert_eq!(plan_parts(20_000_000, DEFAULT_PART_SIZE).unwrap().len(), 2);
        assert_eq!(plan_parts(1, DEFAULT_PART_SIZE).unwrap(), [PlannedPart { number: 1, start: 0, end: 1 }]);
        assert_eq!(plan_parts(0, DEFAULT_PART_SIZE).unwrap(), [PlannedPart { number: 1, start: 0, end: 0 }]);
    }

    #[test]
    fn part_size_grows_to_fit_ten_thousand_parts() {
        let size = 200 * 1024 * MIB; // 200 GiB
        let plan = plan_parts(size, DEFAULT_PART_SIZE).unwrap();
        assert!(plan.len() as u64 <= MAX_PARTS);
        assert_eq!(plan.last().unwrap().end, size);
        assert!(plan.windows(2).all(|w| w[0].end == w[1].start && w[0].end - w[0].start >= MIN_PART_SIZE));
        assert!(matches!(plan_parts(10, MIB), Err(UploadError::InvalidOptions(_))));
    }
}
