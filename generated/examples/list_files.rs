//! Lists the files of an organization on Polar's sandbox.
//!
//! ```sh
//! POLAR_ACCESS_TOKEN=polar_oat_... cargo run -p polar-files --example list_files [organization-id]
//! ```
//!
//! With an Organization Access Token the organization is implied; with a Personal Access Token,
//! pass the organization's id.

use polar_files::models::FileRead;
use polar_files::runtime::TryStreamExt;
use polar_files::{Client, Server};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The token comes from POLAR_ACCESS_TOKEN.
    let client = Client::builder().server(Server::Sandbox).build()?;
    let mut request = client.files().list().limit(100);
    if let Some(organization) = std::env::args().nth(1) {
        request = request.organization_id(organization.parse::<uuid::Uuid>()?);
    }
    let mut items = request.items();
    let mut count = 0;
    while let Some(file) = items.try_next().await? {
        count += 1;
        match file {
            FileRead::Downloadable(f) => println!("{}  {:>12}  downloadable  {}", f.id, f.size_readable, f.name),
            FileRead::ProductMedia(f) => println!("{}  {:>12}  product media  {}", f.id, f.size_readable, f.name),
            FileRead::OrganizationAvatar(f) => println!("{}  {:>12}  avatar  {}", f.id, f.size_readable, f.name),
            FileRead::SupportCaseAttachment(f) => println!("{}  {:>12}  support attachment  {}", f.id, f.size_readable, f.name),
            FileRead::Unknown(json) => println!("{}  (a kind of file this crate does not know: {:?})", json["id"], file_kind(&json)),
            // A kind added in a later version of the crate.
            other => println!("{:?}  {:?}", other.id(), other.name()),
        }
    }
    println!("{count} files");
    Ok(())
}

fn file_kind(json: &serde_json::Value) -> &str {
    json["service"].as_str().unwrap_or("?")
}
