//! `octopods-sim [--host 127.0.0.1] [--port 8787] [--private]`: runs the simulator until
//! Ctrl+C. With `--private` it serves as the app's Practice mode does: the Octopods endpoints
//! only (no `/_sim` admin endpoints) and only to requests whose `Host` is its own loopback
//! address (`Sim::start_private_on`).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use octopods_sim::{Sim, SimConfig, StatusShape, Workspace, MAGIC_NUMBERS};

const DEFAULT_PORT: u16 = 8787;
const USAGE: &str = "usage: octopods-sim [--host ADDRESS] [--port PORT] [--private]\n\n  --host ADDRESS  address to listen on (default 127.0.0.1)\n  --port PORT     port to listen on, 0 for any free port (default 8787)\n  --private       as in the app: no /_sim admin endpoints, and only requests for\n                  Host 127.0.0.1:PORT or [::1]:PORT (others get 421)";

#[derive(Debug, thiserror::Error)]
enum ArgsError {
    #[error("{0} needs a value")]
    MissingValue(&'static str),
    #[error("--host: \"{0}\" is not an IP address")]
    BadHost(String),
    #[error("--port: \"{0}\" is not a port number")]
    BadPort(String),
    #[error("unknown argument \"{0}\"")]
    Unknown(String),
}

/// What to listen on, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Options {
    addr: SocketAddr,
    /// `--private`: `Sim::start_private_on`.
    private: bool,
}

/// `Ok(None)` means `--help`.
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, ArgsError> {
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = DEFAULT_PORT;
    let mut private = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = |flag: &'static str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(ArgsError::MissingValue(flag))
        };
        match name.as_str() {
            "--host" => {
                let text = value("--host")?;
                host = text.parse().map_err(|_| ArgsError::BadHost(text))?;
            }
            "--port" => {
                let text = value("--port")?;
                port = text.parse().map_err(|_| ArgsError::BadPort(text))?;
            }
            "--private" if inline.is_none() => private = true,
            "-h" | "--help" => return Ok(None),
            _ => return Err(ArgsError::Unknown(arg)),
        }
    }
    Ok(Some(Options {
        addr: SocketAddr::new(host, port),
        private,
    }))
}

#[tokio::main]
async fn main() -> ExitCode {
    let Options { addr, private } = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("octopods-sim: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let config = SimConfig::default();
    let started = if private {
        Sim::start_private_on(addr, config.clone()).await
    } else {
        Sim::start_on(addr, config.clone()).await
    };
    let sim = match started {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("octopods-sim: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("octopods-sim listening on {}", sim.base_url());
    println!("\nAPI keys (X-Octopods-Auth):");
    for key in &config.keys {
        let workspace = match key.workspace {
            Workspace::Intercom => "Intercom",
            Workspace::HubSpot => "HubSpot",
        };
        let shape = match key.status_shape {
            StatusShape::Modern => "modern status",
            StatusShape::Legacy => "legacy status",
        };
        let note = if key.deprecated {
            ", rotated: error 5"
        } else {
            ""
        };
        println!("  {:<20} {workspace}, {shape}{note}", key.key);
    }
    println!("\nMagic destination numbers:");
    for (number, what) in MAGIC_NUMBERS {
        println!("  {number}  {what}");
    }
    if private {
        println!(
            "\nPrivate: no admin endpoints; only Host {}. Ctrl+C to stop.",
            sim.addr()
        );
    } else {
        println!("\nAdmin: GET/DELETE /_sim/requests, POST/DELETE /_sim/faults. Ctrl+C to stop.");
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("octopods-sim: cannot wait for Ctrl+C ({e}); stopping");
    }
    sim.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, ArgsError> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn arguments() {
        let default = parse(&[]).expect("no args").expect("an address");
        assert_eq!(default.addr.to_string(), "127.0.0.1:8787");
        assert!(!default.private, "the admin endpoints by default");
        let custom = parse(&["--port", "9000", "--host=0.0.0.0"])
            .expect("valid")
            .expect("addr");
        assert_eq!(custom.addr.to_string(), "0.0.0.0:9000");
        let private = parse(&["--private", "--port", "0"])
            .expect("valid")
            .expect("addr");
        assert!(private.private);
        assert_eq!(private.addr.to_string(), "127.0.0.1:0");
        assert!(matches!(
            parse(&["--private=yes"]),
            Err(ArgsError::Unknown(_))
        ));
        assert!(parse(&["--help"]).expect("help").is_none());
        assert!(matches!(
            parse(&["--port"]),
            Err(ArgsError::MissingValue(_))
        ));
        assert!(matches!(
            parse(&["--port", "x"]),
            Err(ArgsError::BadPort(_))
        ));
        assert!(matches!(
            parse(&["--host", "localhost"]),
            Err(ArgsError::BadHost(_))
        ));
        assert!(matches!(parse(&["--verbose"]), Err(ArgsError::Unknown(_))));
    }
}
