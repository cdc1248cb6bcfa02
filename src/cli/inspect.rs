//! `glia inspect`: what each mod file declares, for people (`--format human`) or programs (`--format json`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::inputs::{process_mod_files, report_output_and_input_errors};
use super::{exit, OutputFormat};
use crate::identity::inspection::{inspect, Inspection};

#[derive(Args, Debug)]
pub struct InspectArguments {
    /// How to print the report.
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Files or directories (searched recursively for `*.mod`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// One file's report, as printed in JSON.
#[derive(Serialize)]
struct FileInspection {
    file: String,
    #[serde(flatten)]
    inspection: Inspection,
}

pub fn run(arguments: &InspectArguments) -> ExitCode {
    let (reports, input_errors) =
        process_mod_files(&arguments.paths, |file, source| FileInspection {
            file: file.display.clone(),
            inspection: inspect(&source),
        });
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match arguments.format {
        OutputFormat::Json => serde_json::to_writer_pretty(&mut out, &reports)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        OutputFormat::Human => reports
            .iter()
            .try_for_each(|report| write_human(&mut out, report)),
    };
    match report_output_and_input_errors(written, &input_errors) {
        Ok(()) => ExitCode::from(exit::CLEAN),
        Err(status) => status,
    }
}

fn write_human(out: &mut dyn Write, report: &FileInspection) -> std::io::Result<()> {
    let inspection = &report.inspection;
    writeln!(out, "{}", report.file)?;
    match &inspection.mechanism {
        Some(mechanism) => writeln!(
            out,
            "  mechanism   {} {} (line {}, column {})",
            mechanism.kind, mechanism.name, mechanism.line, mechanism.column
        )?,
        None => writeln!(
            out,
            "  mechanism   none (no SUFFIX, POINT_PROCESS or ARTIFICIAL_CELL)"
        )?,
    }
    writeln!(out, "  dialect     {}", inspection.dialect)?;
    for evidence in &inspection.dialect_evidence {
        writeln!(
            out,
            "              not {}: {}:{}: {}",
            evidence.refused_by, evidence.line, evidence.column, evidence.message
        )?;
    }
    for ion in &inspection.ions {
        let valence = ion
            .valence
            .as_deref()
            .map(|v| format!(" valence {v}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  ion         {} read [{}] write [{}]{}",
            ion.name,
            ion.read.join(", "),
            ion.write.join(", "),
            valence
        )?;
    }
    let lists = [
        ("nonspecific", &inspection.nonspecific_currents),
        ("electrode", &inspection.electrode_currents),
        ("range", &inspection.range),
        ("global", &inspection.global),
        ("pointer", &inspection.pointer),
        ("bbcore ptr", &inspection.bbcore_pointer),
        ("states", &inspection.states),
        ("includes", &inspection.includes),
    ];
    for (label, names) in lists {
        if !names.is_empty() {
            writeln!(out, "  {label:<11} {}", names.join(", "))?;
        }
    }
    for parameter in &inspection.parameters {
        let default = parameter.default.as_deref().unwrap_or("-");
        let unit = parameter
            .unit
            .as_deref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default();
        let limits = parameter
            .limits
            .as_ref()
            .map(|(low, high)| format!(" <{low}, {high}>"))
            .unwrap_or_default();
        writeln!(
            out,
            "  parameter   {} = {default}{unit}{limits}",
            parameter.name
        )?;
    }
    if let Some(arguments) = &inspection.net_receive_arguments {
        writeln!(out, "  net_receive ({})", arguments.join(", "))?;
    }
    if inspection.thread_safe {
        writeln!(out, "  threadsafe  yes")?;
    }
    for lowering in &inspection.lowerings {
        writeln!(
            out,
            "  lowering    for {} at {}:{}: {}",
            lowering.dialect, lowering.line, lowering.column, lowering.description
        )?;
    }
    writeln!(out)
}
