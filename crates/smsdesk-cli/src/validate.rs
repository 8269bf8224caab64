//! `smsdesk validate`: numbers from the arguments or standard input, answered in order.

use std::io::{BufRead, Write};

use serde::Serialize;
use smsdesk::phone::{self, Country, NumberKind, PhoneCheck};

use crate::args::ValidateArgs;
use crate::error::{exit, CliError, Result};

/// One line of `--json` output; the field set is part of the interface.
#[derive(Serialize)]
struct JsonLine<'a> {
    input: &'a str,
    valid: bool,
    e164: Option<&'a str>,
    #[serde(rename = "type")]
    kind: Option<NumberKind>,
    region: Option<&'a str>,
    error: Option<&'a str>,
}

pub fn run(args: &ValidateArgs) -> Result<u8> {
    let country = args.region.as_deref().map(Country::parse).transpose()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut all_valid = true;
    // Numbers are checked a batch at a time on every core and answered in order; the answers
    // are flushed after each batch, so a program that writes one number and waits for its
    // answer gets it at once.
    let mut answer = |batch: &[String]| -> Result<()> {
        for check in phone::validate_many_for_sending(batch, country) {
            all_valid &= check.valid;
            write_check(&mut out, &check, args.json).map_err(CliError::Stdout)?;
        }
        out.flush().map_err(CliError::Stdout)
    };
    if args.numbers.is_empty() {
        let mut input = std::io::BufReader::with_capacity(READ_AHEAD, std::io::stdin().lock());
        let mut batch = Vec::new();
        loop {
            let mut line = String::new();
            let read = input.read_line(&mut line).map_err(CliError::Stdin)?;
            if read > 0 {
                let end = line.trim_end_matches(['\n', '\r']).len();
                line.truncate(end);
                batch.push(line);
            }
            // Answer what was read before waiting for more: at the end, when a batch is
            // full, or when nothing more has arrived yet (the next read would wait).
            if read == 0 || batch.len() >= BATCH || input.buffer().is_empty() {
                answer(&batch)?;
                batch.clear();
            }
            if read == 0 {
                break;
            }
        }
    } else {
        answer(&args.numbers)?;
    }
    Ok(if all_valid {
        exit::OK
    } else {
        exit::INVALID_NUMBER
    })
}

/// Bytes of standard input read ahead: about 4,000 typed numbers.
const READ_AHEAD: usize = 64 * 1024;
/// Numbers answered together at most.
const BATCH: usize = 4096;

fn write_check(out: &mut impl Write, check: &PhoneCheck, json: bool) -> std::io::Result<()> {
    if json {
        let line = JsonLine {
            input: &check.input,
            valid: check.valid,
            e164: check.e164.as_deref(),
            kind: check.kind,
            region: check.region.as_deref(),
            error: check.error.as_deref(),
        };
        let line = crate::output::json_line(&line).map_err(std::io::Error::other)?;
        writeln!(out, "{line}")?;
    } else if let (true, Some(e164)) = (check.valid, &check.e164) {
        let kind = check
            .kind
            .and_then(|k| serde_json::to_value(k).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let region = check.region.as_deref().unwrap_or("");
        let input = crate::output::safe(&check.input);
        writeln!(out, "{input}\tvalid\t{e164}\t{kind}\t{region}")?;
        if let Some(warning) = &check.warning {
            writeln!(out, "  warning: {warning}")?;
        }
    } else {
        let reason = check.error.as_deref().unwrap_or("not a valid number");
        // The input as typed, but never a control character raw (a file may hold anything).
        let input = crate::output::safe(&check.input);
        writeln!(out, "{input}\tinvalid\t{reason}")?;
    }
    Ok(())
}
