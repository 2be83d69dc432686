//! `steady-clinic`: run the clinic server and script it (staff accounts,
//! patients with enrollment codes, a demo clinic, the load benchmark).
//! Every command takes `--json` for stable machine-readable output.

use clap::{Args, Parser, Subcommand};
use serde_json::json;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use steady_clinic::admin;
use steady_clinic::app::{self, AppState};
use steady_clinic::clock::{Clock, SystemClock};
use steady_clinic::error::ApiError;
use steady_clinic::store::{Backend, Db, DbKey};

#[derive(Parser)]
#[command(name = "steady-clinic", version, about = "Steady's clinic server")]
struct Cli {
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct StoreArgs {
    /// SQLite database file (the default backend).
    #[arg(long, default_value = "steady-clinic.db", conflicts_with = "postgres")]
    db: PathBuf,
    /// PostgreSQL URL, e.g. postgres://steady@127.0.0.1:5432/steady.
    #[arg(long, env = "STEADY_CLINIC_POSTGRES")]
    postgres: Option<String>,
    /// File holding the SQLite database's SQLCipher key (64 hex characters,
    /// e.g. `openssl rand -hex 32`).
    #[arg(long, env = "STEADY_CLINIC_DB_KEY_FILE", conflicts_with = "postgres")]
    db_key_file: Option<PathBuf>,
}

/// The key given in STEADY_CLINIC_DB_KEY (64 hex characters), if any.
const DB_KEY_ENV: &str = "STEADY_CLINIC_DB_KEY";

impl StoreArgs {
    fn key(&self) -> Result<Option<DbKey>, ApiError> {
        let text = match (&self.db_key_file, std::env::var(DB_KEY_ENV)) {
            (Some(file), _) => Some(std::fs::read_to_string(file).map_err(|e| {
                ApiError::invalid("db-key-file", format!("{}: {e}", file.display()))
            })?),
            (None, Ok(text)) if !text.is_empty() => Some(text),
            _ => None,
        };
        text.map(|t| DbKey::from_hex(&t).map_err(|e| ApiError::invalid("database key", e)))
            .transpose()
    }

    fn backend(&self) -> Result<Backend, ApiError> {
        Ok(match (&self.postgres, self.key()?) {
            (Some(url), _) => Backend::Postgres {
                url: url.clone(),
                schema: None,
            },
            (None, Some(key)) => Backend::SqliteEncrypted {
                path: self.db.clone(),
                key,
            },
            (None, None) => Backend::Sqlite(self.db.clone()),
        })
    }
}

/// Connection limits, trusted proxies and TLS (docs/security.md).
#[derive(Args, Clone)]
struct NetArgs {
    /// PEM certificate chain: serve HTTPS (with HSTS) instead of HTTP.
    #[arg(long, env = "STEADY_CLINIC_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, env = "STEADY_CLINIC_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// A reverse proxy whose X-Forwarded-For names the real client
    /// (repeatable, or comma-separated in the environment).
    #[arg(
        long = "trusted-proxy",
        env = "STEADY_CLINIC_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Connections served at once; more wait in the listen queue.
    #[arg(long, default_value_t = 512)]
    max_connections: usize,
    /// Connections one client address may hold (trusted proxies are exempt).
    #[arg(long, default_value_t = 64)]
    max_connections_per_address: usize,
    /// Seconds a client has to send request headers (also the keep-alive idle time).
    #[arg(long, default_value_t = 15)]
    header_timeout: u64,
    /// Seconds a client has to send a request body.
    #[arg(long, default_value_t = 60)]
    body_timeout: u64,
}

impl NetArgs {
    fn options(&self) -> Result<steady_clinic::net::ServerOptions, ApiError> {
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some(Arc::new(
                steady_clinic::tls::TlsConfig::from_pem_files(cert, key)
                    .map_err(|e| ApiError::invalid("tls", e))?,
            )),
            _ => None,
        };
        if self.max_connections == 0 || self.max_connections_per_address == 0 {
            return Err(ApiError::invalid("max-connections", "must be at least 1"));
        }
        if self.header_timeout == 0 || self.body_timeout == 0 {
            return Err(ApiError::invalid("timeouts", "must be at least 1 second"));
        }
        Ok(steady_clinic::net::ServerOptions {
            header_timeout: std::time::Duration::from_secs(self.header_timeout),
            body_timeout: std::time::Duration::from_secs(self.body_timeout),
            max_connections: self.max_connections,
            max_connections_per_address: self.max_connections_per_address,
            trusted_proxies: self.trusted_proxies.clone(),
            tls,
            ..Default::default()
        })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the sync and staff API.
    Serve {
        #[command(flatten)]
        store: StoreArgs,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8686")]
        listen: String,
        /// Set the clinic's name (shown to phones as the consent recipient).
        #[arg(long)]
        clinic_name: Option<String>,
        /// Start the clinic's clock at this instant (RFC 3339) and run it on
        /// in real time: for rehearsals and the phone test suites, never for
        /// a clinic's real service.
        #[arg(long)]
        clock_from: Option<String>,
        #[command(flatten)]
        net: NetArgs,
    },
    /// Staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Patients.
    Patient {
        #[command(subcommand)]
        command: PatientCommand,
    },
    /// Seed a demo clinic whose simulated patients run the real core and
    /// sync over HTTP, then keep serving it.
    Demo {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, default_value = "127.0.0.1:8686")]
        listen: String,
        /// Where the simulated phones keep their encrypted databases
        /// (default: a new temporary directory).
        #[arg(long)]
        phones: Option<PathBuf>,
        /// Seed and exit instead of serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Copy the SQLite database, while it serves, into a new encrypted file
    /// (one consistent snapshot; the key is the database's, or the same
    /// key-file/environment settings when the database is not encrypted yet).
    Backup {
        /// The backup file to create (never overwritten).
        to: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Create the database file (--db, which must not exist) from a backup.
    Restore {
        /// A file made by `backup`.
        from: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Load benchmark: simulated phones enroll, push one day and pull, over
    /// loopback, on a fresh SQLite file or a fresh PostgreSQL schema.
    Bench {
        #[arg(long, default_value_t = 1000)]
        devices: usize,
        /// Concurrent client threads.
        #[arg(long, default_value_t = 32)]
        clients: usize,
        /// PostgreSQL URL; without it the benchmark uses a temporary SQLite file.
        #[arg(long)]
        postgres: Option<String>,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add a staff member; the password comes from --password or stdin.
    Add {
        email: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        password: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand)]
enum PatientCommand {
    /// Add a patient and print a one-time enrollment code.
    Add {
        name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if cli.json {
                println!(
                    "{}",
                    json!({"error": {"code": error.code, "reason": error.reason}})
                );
            } else {
                eprintln!("steady-clinic: {}", error.reason);
            }
            ExitCode::FAILURE
        }
    }
}

fn open(store: &StoreArgs) -> Result<Db, ApiError> {
    Db::open(&store.backend()?)
        .map_err(|e| ApiError::new(steady_protocol::ErrorCode::Internal, e.to_string()))
}

fn print(json_mode: bool, value: serde_json::Value, text: impl FnOnce() -> String) {
    if json_mode {
        println!("{value}");
    } else {
        println!("{}", text());
    }
}

fn run(cli: &Cli) -> Result<(), ApiError> {
    let now = SystemClock.now_ms();
    match &cli.command {
        Command::Demo {
            store,
            listen,
            phones,
            no_serve,
        } => demo(cli.json, store, listen, phones.as_deref(), *no_serve),
        Command::Bench {
            devices,
            clients,
            postgres,
        } => bench(cli.json, *devices, *clients, postgres.as_deref()),
        Command::Serve {
            store,
            listen,
            clinic_name,
            clock_from,
            net,
        } => {
            let options = net.options()?;
            let clock: Arc<dyn Clock> = match clock_from {
                None => Arc::new(SystemClock),
                Some(text) => Arc::new(steady_clinic::clock::ShiftedClock::starting_at(
                    chrono::DateTime::parse_from_rfc3339(text)
                        .map_err(|e| ApiError::invalid("clock-from", e))?
                        .timestamp_millis(),
                )),
            };
            if store.postgres.is_none() && store.key()?.is_none() {
                eprintln!(
                    "steady-clinic: warning: {} is not encrypted; set STEADY_CLINIC_DB_KEY_FILE \
                     (docs/security.md)",
                    store.db.display()
                );
            }
            let db = open(store)?;
            if let Some(name) = clinic_name {
                admin::set_clinic_name(&db, name)?;
            }
            serve(cli.json, db, listen, options, clock)
        }
        Command::Backup { to, store } => {
            let key = store.key()?.ok_or_else(|| {
                ApiError::invalid(
                    "database key",
                    "a backup is always encrypted: set STEADY_CLINIC_DB_KEY_FILE or STEADY_CLINIC_DB_KEY",
                )
            })?;
            if store.postgres.is_some() {
                return Err(ApiError::invalid(
                    "postgres",
                    "back PostgreSQL up with pg_dump (docs/server.md)",
                ));
            }
            // The source is opened as configured; a plaintext database is
            // read without a key, so `backup` also encrypts an old file.
            let source_key = steady_clinic::store::source_key(&store.db, &key);
            steady_clinic::store::backup_sqlite(&store.db, source_key.as_ref(), to, &key)
                .map_err(internal)?;
            print(cli.json, json!({"backup": to, "encrypted": true}), || {
                format!(
                    "backed up {} to {} (encrypted)",
                    store.db.display(),
                    to.display()
                )
            });
            Ok(())
        }
        Command::Restore { from, store } => {
            let key = store.key()?.ok_or_else(|| {
                ApiError::invalid(
                    "database key",
                    "set the backup's key in STEADY_CLINIC_DB_KEY_FILE or STEADY_CLINIC_DB_KEY",
                )
            })?;
            if store.postgres.is_some() {
                return Err(ApiError::invalid(
                    "postgres",
                    "restore PostgreSQL with pg_restore (docs/server.md)",
                ));
            }
            steady_clinic::store::backup_sqlite(from, Some(&key), &store.db, &key)
                .map_err(internal)?;
            // Opening it checks the key and brings the schema up to date.
            Db::open(&store.backend()?).map_err(internal)?;
            print(
                cli.json,
                json!({"restored": store.db, "from": from}),
                || format!("restored {} from {}", store.db.display(), from.display()),
            );
            Ok(())
        }
        Command::Staff {
            command:
                StaffCommand::Add {
                    email,
                    name,
                    password,
                    store,
                },
        } => {
            let password = match password {
                Some(p) => p.clone(),
                None => read_password()?,
            };
            let db = open(store)?;
            let name = name.clone().unwrap_or_else(|| email.clone());
            let staff = admin::add_staff(&db, email, &name, &password, now)?;
            print(cli.json, json!(staff), || {
                format!("added staff {} ({})", staff.email, staff.staff_id)
            });
            Ok(())
        }
        Command::Patient {
            command: PatientCommand::Add { name, store },
        } => {
            let db = open(store)?;
            let added = admin::add_patient(&db, name, now)?;
            print(cli.json, json!(added), || {
                format!(
                    "added patient {} ({})\nenrollment code: {} (valid until {})",
                    added.patient.name,
                    added.patient.patient_id,
                    added.enrollment.code,
                    chrono::DateTime::from_timestamp_millis(added.enrollment.expires_at_ms)
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_default()
                )
            });
            Ok(())
        }
    }
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(steady_protocol::ErrorCode::Internal, e.to_string())
}

fn demo(
    json_mode: bool,
    store: &StoreArgs,
    listen: &str,
    phones: Option<&std::path::Path>,
    no_serve: bool,
) -> Result<(), ApiError> {
    let db = open(store)?;
    let phones = match phones {
        Some(dir) => dir.to_path_buf(),
        None => std::env::temp_dir().join(format!(
            "steady-demo-phones-{}",
            uuid::Uuid::new_v4().simple()
        )),
    };
    std::fs::create_dir_all(&phones).map_err(|e| ApiError::invalid("phones", e))?;
    let runtime = tokio::runtime::Runtime::new().map_err(internal)?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(listen))
        .map_err(|e| ApiError::invalid("listen", e))?;
    let address = listener
        .local_addr()
        .map_err(|e| ApiError::invalid("listen", e))?;
    let url = format!("http://{address}");
    let state = AppState {
        db: db.clone(),
        clock: Arc::new(SystemClock),
    };
    {
        let _inside = runtime.enter();
        steady_clinic::alerts::spawn_from_env(&state)?;
    }
    let server = runtime.spawn(app::serve(listener, state));
    let report = steady_clinic::demo::run(&db, &url, &phones, SystemClock.now_ms())?;
    print(json_mode, json!(report), || {
        let mut lines = vec![
            format!("Demo clinic \"{}\" at {url}", report.clinic_name),
            format!("Clinician dashboard: {}", report.dashboard_url),
            format!(
                "Staff sign-in: {} / {}",
                report.staff_email, report.staff_password
            ),
        ];
        for p in &report.patients {
            lines.push(format!(
                "  {} shares {}: {} records synced, {} held on the phone, {} clinic changes received",
                p.name,
                p.shared.join(", "),
                p.applied,
                p.held,
                p.clinic_changes
            ));
        }
        lines.push(format!(
            "Enroll the steady CLI as a patient: steady enroll {} --server {url}",
            report.cli_enrollment_code
        ));
        lines.join("\n")
    });
    if no_serve {
        return Ok(());
    }
    runtime
        .block_on(server)
        .map_err(internal)?
        .map_err(internal)
}

fn bench(
    json_mode: bool,
    devices: usize,
    clients: usize,
    postgres: Option<&str>,
) -> Result<(), ApiError> {
    if devices == 0 || clients == 0 || devices > 100_000 || clients > 512 {
        return Err(ApiError::invalid(
            "devices/clients",
            "must be 1-100000 and 1-512",
        ));
    }
    let scratch =
        std::env::temp_dir().join(format!("steady-bench-{}", uuid::Uuid::new_v4().simple()));
    let backend = match postgres {
        Some(url) => Backend::Postgres {
            url: url.to_string(),
            schema: Some(format!("bench_{}", uuid::Uuid::new_v4().simple())),
        },
        None => {
            std::fs::create_dir_all(&scratch).map_err(|e| ApiError::invalid("temp dir", e))?;
            Backend::Sqlite(scratch.join("bench.db"))
        }
    };
    let report = steady_clinic::bench::run(
        &backend,
        &steady_clinic::bench::Options { devices, clients },
    );
    let _ = std::fs::remove_dir_all(&scratch);
    let report = report?;
    print(json_mode, json!(report), || {
        format!(
            "{} devices x {} mutations on {} with {} clients: {:.1} s\n\
             throughput: {:.0} devices/s, {:.0} requests/s, {:.0} mutations/s\n\
             push: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms\n\
             pull: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            report.devices,
            report.mutations / report.devices.max(1),
            report.backend,
            report.clients,
            report.seconds,
            report.devices_per_second,
            report.requests_per_second,
            report.mutations_per_second,
            report.push.p50_ms,
            report.push.p99_ms,
            report.push.max_ms,
            report.pull.p50_ms,
            report.pull.p99_ms,
            report.pull.max_ms
        )
    });
    Ok(())
}

fn read_password() -> Result<String, ApiError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|_| ApiError::invalid("password", "could not be read from stdin"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn serve(
    json_mode: bool,
    db: Db,
    listen: &str,
    options: steady_clinic::net::ServerOptions,
    clock: Arc<dyn Clock>,
) -> Result<(), ApiError> {
    let scheme = if options.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| ApiError::new(steady_protocol::ErrorCode::Internal, e.to_string()))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| ApiError::invalid("listen", e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ApiError::invalid("listen", e))?;
        let backend = db.backend_name();
        print(
            json_mode,
            json!({"listening": format!("{scheme}://{addr}"), "backend": backend}),
            || format!("steady-clinic listening on {scheme}://{addr} ({backend})"),
        );
        let state = AppState { db, clock };
        steady_clinic::alerts::spawn_from_env(&state)?;
        // The system's tz database may be updated while the server runs (a
        // tzdata package update): the zone rules are read again every hour.
        tokio::spawn(async {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
            every.tick().await;
            loop {
                every.tick().await;
                let _ = tokio::task::spawn_blocking(steady_core::zone::reload).await;
            }
        });
        app::serve_with(listener, state, options)
            .await
            .map_err(|e| ApiError::new(steady_protocol::ErrorCode::Internal, e.to_string()))
    })
}
