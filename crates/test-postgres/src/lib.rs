//! A throwaway PostgreSQL cluster for tests: `initdb` and `pg_ctl` from Debian's `postgresql`
//! package (installed by `scripts/setup --test`), in a temporary folder, on a free loopback
//! port, trusting local connections. Stopped and deleted when dropped; [`Cluster::stop`] and
//! [`Cluster::start`] take it away and bring it back (a desk offline, then online).
//!
//! PostgreSQL refuses to run as root (CI runs as root): then the folder is given to the
//! package's `postgres` user and the programs run as that user through `runuser`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A running (or stopped) throwaway cluster.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

/// The user that owns the cluster and may connect without a password.
pub const USER: &str = "smsdesk";

impl Cluster {
    /// Makes and starts a new cluster; panics with what to install when PostgreSQL is missing.
    pub fn start_new() -> Self {
        let bin = bin_dir().unwrap_or_else(|| {
            panic!("PostgreSQL's initdb was not found under /usr/lib/postgresql/*/bin: run scripts/setup --test")
        });
        let dir = tempfile::Builder::new()
            .prefix("smsdesk-pg-")
            .tempdir()
            .unwrap_or_else(|e| panic!("no temp folder for PostgreSQL: {e}"));
        let as_postgres = is_root();
        if as_postgres {
            // The folder and the path to it must be the postgres user's to use.
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path()));
            run(Command::new("chmod").arg("755").arg(dir.path()));
        }
        let cluster = Cluster {
            port: free_port(),
            dir,
            bin,
            as_postgres,
        };
        let data = cluster.data_dir();
        cluster.pg(
            "initdb",
            &[
                "-D",
                path(&data),
                "-U",
                USER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        cluster.start();
        cluster
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Starts the (stopped) cluster on its port, and waits until it accepts connections.
    pub fn start(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
            self.port,
            path(self.dir.path())
        );
        let data = self.data_dir();
        let log = self.dir.path().join("server.log");
        self.pg(
            "pg_ctl",
            &[
                "-D",
                path(&data),
                "-l",
                path(&log),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    /// Stops the cluster at once (as a crash or a pulled cable would): clients see the
    /// connection go.
    pub fn stop(&self) {
        let data = self.data_dir();
        self.pg(
            "pg_ctl",
            &["-D", path(&data), "-m", "immediate", "-w", "stop"],
        );
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A connection string for a new database `name` (made if missing), without TLS (the
    /// cluster is on loopback and has no certificate).
    pub fn database(&self, name: &str) -> String {
        let _ = self.psql("postgres", &format!("CREATE DATABASE \"{name}\""));
        self.url(name)
    }

    /// The connection string of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgresql://{USER}@127.0.0.1:{}/{name}?sslmode=disable",
            self.port
        )
    }

    /// Runs SQL with `psql` (a second, independent client) and gives its output.
    pub fn psql(&self, database: &str, sql: &str) -> Output {
        self.psql_command(database, sql)
            .output()
            .unwrap_or_else(|e| panic!("psql does not run: {e}"))
    }

    /// Starts `psql` running `sql` without waiting for it (a session that holds a lock while
    /// a test does something else). End it with `pg_terminate_backend` through [`Self::psql`].
    pub fn psql_in_background(&self, database: &str, sql: &str) -> std::process::Child {
        self.psql_command(database, sql)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("psql does not run: {e}"))
    }

    fn psql_command(&self, database: &str, sql: &str) -> Command {
        let port = self.port.to_string();
        self.command(
            "psql",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                USER,
                "-d",
                database,
                "-At",
                "-c",
                sql,
            ],
        )
    }

    fn command(&self, program: &str, args: &[&str]) -> Command {
        let program = self.bin.join(program);
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        // PostgreSQL's programs stop when they cannot read their working directory (a test's
        // may be private to root): run them in the cluster's own folder.
        c.args(args).current_dir(self.dir.path());
        c
    }

    fn pg(&self, program: &str, args: &[&str]) {
        run(&mut self.command(program, args));
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data_dir();
        let _ = self
            .command("pg_ctl", &["-D", path(&data), "-m", "immediate", "stop"])
            .output();
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

fn run(command: &mut Command) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?} does not run: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The newest PostgreSQL's programs.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}
