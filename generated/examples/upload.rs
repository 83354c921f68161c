//! Uploads a file to Polar with a progress bar.
//!
//! ```sh
//! POLAR_ACCESS_TOKEN=polar_oat_... cargo run -p polar-files --example upload -- <file> \
//!     [--kind downloadable|product_media|organization_avatar|support_case_attachment] \
//!     [--sandbox] [--base-url URL] [--organization ID]
//! ```

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use polar_files::models::{FileRead, FileServiceTypes};
use polar_files::upload::UploadSource;
use polar_files::{Client, Server};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let mut kind = FileServiceTypes::Downloadable;
    let mut builder = Client::builder();
    let mut organization = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--kind" => kind = FileServiceTypes::from(args.next().ok_or("--kind needs a value")?),
            "--sandbox" => builder = builder.server(Server::Sandbox),
            "--base-url" => builder = builder.base_url(args.next().ok_or("--base-url needs a value")?),
            "--organization" => organization = Some(args.next().ok_or("--organization needs a value")?.parse::<uuid::Uuid>()?),
            _ if file.is_none() => file = Some(arg),
            other => return Err(format!("unexpected argument {other}").into()),
        }
    }
    let file = file.ok_or("usage: upload <file> [--kind KIND] [--sandbox] [--base-url URL] [--organization ID]")?;
    let client = builder.build()?;

    let bar = ProgressBar::new(std::fs::metadata(&file)?.len());
    bar.set_style(ProgressStyle::with_template("{msg:>8} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")?.progress_chars("=> "));
    bar.enable_steady_tick(Duration::from_millis(200));
    let progress_bar = bar.clone();
    let mut upload = client.files().upload(UploadSource::path(&file), kind).on_progress(move |p| {
        // First the checksums, then the parts.
        if p.bytes_sent == 0 && p.bytes_hashed < p.total_bytes {
            progress_bar.set_message("hashing");
            progress_bar.set_position(p.bytes_hashed);
        } else {
            progress_bar.set_message(format!("{}/{}", p.parts_done, p.parts_total));
            progress_bar.set_position(p.bytes_sent);
        }
    });
    if let Some(organization) = organization {
        upload = upload.organization_id(organization);
    }
    let result = upload.await;
    bar.finish_and_clear();
    let file = result?;
    match &file {
        FileRead::Downloadable(f) => println!("uploaded {} ({}) as {}", f.name, f.size_readable, f.id),
        FileRead::ProductMedia(f) => println!("uploaded {} as {}: {}", f.name, f.id, f.public_url),
        FileRead::OrganizationAvatar(f) => println!("uploaded {} as {}: {}", f.name, f.id, f.public_url),
        FileRead::SupportCaseAttachment(f) => println!("uploaded {} as {}", f.name, f.id),
        FileRead::Unknown(json) => println!("uploaded: {json}"),
        // A kind added in a later version of the crate.
        other => println!("uploaded {:?} as {:?}", other.name(), other.id()),
    }
    Ok(())
}
