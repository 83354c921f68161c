//! The newcomer program (`generated/examples/newcomer.rs`: list every page, create, upload with a
//! progress bar, rename, delete; errors printed with `{:#}`), its own code run here: against
//! Prism serving `specs/` (create only: Prism has no storage) and against the fake Polar in front
//! of real storage (the whole upload).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../generated/examples/newcomer.rs"]
mod newcomer;

use integration_tests::storage::{Harness, TOKEN};
use integration_tests::{spec_path, Prism};

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_newcomer_program_runs_against_prism() {
    let prism = Prism::start(&spec_path()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app-1.4.2.zip");
    std::fs::write(&path, vec![7_u8; 4096]).unwrap();
    let tour = newcomer::run(args(&[path.to_str().unwrap(), "--base-url", &prism.base_url, "--create-only", "--token", "polar_oat_newcomer"]))
        .await
        .unwrap_or_else(|err| panic!("{err:#}"));
    assert!(tour.listed > 0, "{tour:?}");
    assert!(tour.renamed.is_some(), "{tour:?}");

    // A failure reads as one line, each cause once: what the program did, then why.
    let err = newcomer::run(args(&["no/such/app.zip", "--base-url", &prism.base_url, "--token", "polar_oat_newcomer"])).await.unwrap_err();
    let shown = format!("{err:#}");
    assert!(shown.starts_with("uploading the file: cannot read the source: no/such/app.zip: "), "{shown}");
    assert_eq!(shown.matches("no/such/app.zip").count(), 1, "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_newcomer_program_uploads_renames_and_deletes_through_real_storage() {
    let harness = Harness::start(None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app-1.4.2.zip");
    std::fs::write(&path, (0..3_000_000_u32).map(|i| (i % 251) as u8).collect::<Vec<u8>>()).unwrap();
    let tour = newcomer::run(args(&[path.to_str().unwrap(), "--base-url", &harness.polar_url, "--token", TOKEN]))
        .await
        .unwrap_or_else(|err| panic!("{err:#}"));
    assert_eq!(tour.listed, 0);
    assert_eq!(tour.renamed.as_deref(), Some("renamed-app-1.4.2.zip"));
    assert_eq!(harness.polar_calls(), ["list", "create", "uploaded", "update", "delete"]);
    assert!(harness.created().is_empty(), "the file was not deleted");
}
