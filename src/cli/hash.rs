//! `glia hash` (being written).

use std::process::ExitCode;

use clap::Args;

#[derive(Args, Debug)]
pub struct HashArguments {}

pub fn run(_arguments: &HashArguments) -> ExitCode {
    eprintln!("glia hash: not available yet");
    ExitCode::from(super::exit::USAGE_OR_IO)
}
