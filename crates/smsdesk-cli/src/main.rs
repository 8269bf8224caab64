//! `smsdesk`: the command line over SMS Desk's domain crate. Every command works through one
//! [`smsdesk::desk::Desk`], the same façade the app uses.

mod args;
mod bulk;
mod data;
mod error;
mod history;
mod optout;
mod output;
mod route;
mod schedule;
mod segments;
mod send;
mod status;
mod team;
mod validate;
mod worker;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::error::CliError;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&CliError::Runtime(e)),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Validate(args) => validate::run(&args),
            Command::Send(args) => send::run(&args).await,
            Command::Status(args) => status::run(&args).await,
            Command::Segments(args) => segments::run(&args),
            Command::History(args) => history::run(&args).await,
            Command::Optout(args) => optout::run(&args).await,
            Command::Worker(args) => worker::run(&args).await,
            Command::Bulk(args) => bulk::run(&args).await,
            Command::Schedule(args) => schedule::run(&args).await,
            Command::Team(args) => team::run(&args).await,
        }
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => fail(&e),
    }
}

fn fail(e: &CliError) -> ExitCode {
    output::err(e.report());
    ExitCode::from(e.exit_code())
}
