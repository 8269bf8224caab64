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

    /// Turns TLS on (`ssl = on`) with a certificate for 127.0.0.1 signed by a private
    /// certificate authority made for this cluster, refuses connections without it over the
    /// network (`hostssl`), and restarts the server. Returns the
    /// authority's certificate as a PEM file (for a client's `SSL_CERT_FILE`): a client that
    /// verifies certificates trusts the server only with it.
    pub fn use_tls(&self) -> PathBuf {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair, KeyUsagePurpose,
        };
        let ca_key = KeyPair::generate().unwrap_or_else(|e| panic!("CA key: {e}"));
        let mut ca = CertificateParams::new(Vec::<String>::new())
            .unwrap_or_else(|e| panic!("CA params: {e}"));
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "SMS Desk test team CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca
            .self_signed(&ca_key)
            .unwrap_or_else(|e| panic!("CA certificate: {e}"));
        let issuer = Issuer::new(ca, ca_key);
        let key = KeyPair::generate().unwrap_or_else(|e| panic!("server key: {e}"));
        let mut leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .unwrap_or_else(|e| panic!("server params: {e}"));
        leaf.distinguished_name
            .push(DnType::CommonName, "127.0.0.1");
        leaf.use_authority_key_identifier_extension = true;
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let cert = leaf
            .signed_by(&key, &issuer)
            .unwrap_or_else(|e| panic!("server certificate: {e}"));

        let data = self.data_dir();
        let write = |name: &str, text: &str| {
            let file = data.join(name);
            std::fs::write(&file, text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
            file
        };
        write("server.crt", &cert.pem());
        let key_file = write("server.key", &key.serialize_pem());
        // PostgreSQL refuses a key others may read, and one it does not own.
        run(Command::new("chmod").arg("600").arg(&key_file));
        if self.as_postgres {
            run(Command::new("chown")
                .arg("postgres:postgres")
                .arg(data.join("server.crt"))
                .arg(&key_file));
        }
        let conf = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", conf.display()));
        text.push_str("\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
        std::fs::write(&conf, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", conf.display()));
        // TLS only over the network, as a managed server: a plain connection is refused.
        let hba = data.join("pg_hba.conf");
        let rules = std::fs::read_to_string(&hba)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", hba.display()));
        let rules: String = rules
            .lines()
            .map(|line| match line.strip_prefix("host ") {
                Some(rest) => format!("hostssl {rest}\n"),
                None => format!("{line}\n"),
            })
            .collect();
        std::fs::write(&hba, rules)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", hba.display()));
        self.stop();
        self.start();

        let ca_file = self.dir.path().join("team-ca.pem");
        std::fs::write(&ca_file, ca_cert.pem())
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", ca_file.display()));
        ca_file
    }

    /// The connection string of database `name` as a managed server's looks: TLS, verified
    /// (no `sslmode`: SMS Desk's default, `verify-full`).
    pub fn tls_url(&self, name: &str) -> String {
        format!("postgresql://{USER}@127.0.0.1:{}/{name}", self.port)
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
