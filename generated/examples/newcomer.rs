//! A newcomer's first program: every file across pages, then a file uploaded with a progress bar,
//! renamed and deleted. Errors are printed with `{:#}`: the whole chain, each cause once.
//!
//! ```sh
//! POLAR_ACCESS_TOKEN=polar_oat_... cargo run -p polar-files --example newcomer -- <file> [--base-url <url>] [--create-only] [--token <token>]
//! ```
//!
//! Without `--base-url` it talks to Polar's sandbox. `--create-only` creates the file without
//! sending its bytes (for a mock server such as Prism, which has no storage behind it).
//! The test suite runs it against Prism and against a fake Polar with real storage.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use polar_files::models::{DownloadableFileCreate, FilePatch, FileServiceTypes, S3FileCreateMultipart, S3FileCreatePart};
use polar_files::runtime::TryStreamExt as _;
use polar_files::upload::UploadSource;
use polar_files::uuid::Uuid;
use polar_files::{Client, Server};

/// What the tour did.
#[derive(Debug)]
#[allow(dead_code)] // read by the test suite, which runs this program's `run`
pub(crate) struct Tour {
    /// How many files the listing returned, across every page.
    pub(crate) listed: usize,
    /// The created file.
    pub(crate) created: Uuid,
    /// Its name after renaming.
    pub(crate) renamed: Option<String>,
}

#[allow(dead_code)] // the test suite includes this file and calls `run`
#[tokio::main]
async fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()).await {
        Ok(tour) => {
            println!("done: {tour:?}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            // `{:#}`: `renaming the file: 404 Not Found: Not found`, every cause once.
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The whole tour, with the command line's arguments.
pub(crate) async fn run(args: Vec<String>) -> anyhow::Result<Tour> {
    let mut path = None;
    let mut base_url = None;
    let mut create_only = false;
    let mut token = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base-url" => base_url = Some(args.next().context("--base-url needs a URL")?),
            "--create-only" => create_only = true,
            "--token" => token = Some(args.next().context("--token needs a token")?),
            _ => path = Some(PathBuf::from(arg)),
        }
    }
    let path = path.context("usage: newcomer <file> [--base-url <url>] [--create-only] [--token <token>]")?;
    let builder = Client::builder();
    let builder = match base_url {
        Some(url) => builder.base_url(url),
        None => builder.server(Server::Sandbox),
    };
    // The token comes from POLAR_ACCESS_TOKEN unless given.
    let builder = match token {
        Some(token) => builder.token(token),
        None => builder,
    };
    let client = builder.build().context("building the client")?;

    // 1. Every file, across every page: a plain stream, no `pin!`.
    let mut files = client.files().list().limit(100).items();
    let mut listed = 0;
    while let Some(file) = files.try_next().await.context("listing files")? {
        listed += 1;
        println!("{:?}  {:?}  {:?}", file.id(), file.tag(), file.name());
    }
    println!("{listed} files");

    // 2. Create it: the whole upload with a progress bar, or only the create call.
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file.bin").to_owned();
    let created = if create_only {
        let size = std::fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?.len() as i64;
        let parts = S3FileCreateMultipart::new(vec![S3FileCreatePart::new(1, 0, size)]);
        let body = DownloadableFileCreate::new(name.clone(), "application/octet-stream", size, parts);
        client.files().create(body).await.context("creating the file")?.id
    } else {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let progress = bar.clone();
        let file = client
            .files()
            .upload(UploadSource::path(&path), FileServiceTypes::Downloadable)
            .on_progress(move |p| {
                progress.set_length(p.total_bytes);
                progress.set_position(p.bytes_sent);
            })
            .await;
        bar.finish_and_clear();
        let file = file.context("uploading the file")?;
        file.id().context("the uploaded file is of a kind this crate does not know")?
    };
    println!("created {created}");

    // 3. Rename it: a PATCH that leaves every other field as it is.
    let renamed = client
        .files()
        .update(created, FilePatch::new().name(format!("renamed-{name}")))
        .await
        .context("renaming the file")?;
    let renamed = renamed.name().cloned();
    println!("renamed to {renamed:?}");

    // 4. Delete it.
    client.files().delete(created).await.context("deleting the file")?;
    println!("deleted {created}");
    Ok(Tour { listed, created, renamed })
}
