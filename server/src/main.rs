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
use steady_clinic::store::{Backend, Db};

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
}

impl StoreArgs {
    fn backend(&self) -> Backend {
        match &self.postgres {
            Some(url) => Backend::Postgres {
                url: url.clone(),
                schema: None,
            },
            None => Backend::Sqlite(self.db.clone()),
        }
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
    Db::open(&store.backend())
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
        } => {
            let db = open(store)?;
            if let Some(name) = clinic_name {
                admin::set_clinic_name(&db, name)?;
            }
            serve(cli.json, db, listen)
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

fn serve(json_mode: bool, db: Db, listen: &str) -> Result<(), ApiError> {
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
            json!({"listening": format!("http://{addr}"), "backend": backend}),
            || format!("steady-clinic listening on http://{addr} ({backend})"),
        );
        let state = AppState {
            db,
            clock: Arc::new(SystemClock),
        };
        steady_clinic::alerts::spawn_from_env(&state)?;
        app::serve(listener, state)
            .await
            .map_err(|e| ApiError::new(steady_protocol::ErrorCode::Internal, e.to_string()))
    })
}
