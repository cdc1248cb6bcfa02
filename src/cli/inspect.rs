//! `glia inspect` (being written).

use std::process::ExitCode;

use clap::Args;

#[derive(Args, Debug)]
pub struct InspectArguments {}

pub fn run(_arguments: &InspectArguments) -> ExitCode {
    eprintln!("glia inspect: not available yet");
    ExitCode::from(super::exit::USAGE_OR_IO)
}
