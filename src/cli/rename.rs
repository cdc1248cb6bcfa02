//! `glia rename` (being written).

use std::process::ExitCode;

use clap::Args;

#[derive(Args, Debug)]
pub struct RenameArguments {}

pub fn run(_arguments: &RenameArguments) -> ExitCode {
    eprintln!("glia rename: not available yet");
    ExitCode::from(super::exit::USAGE_OR_IO)
}
