//! The `glia` executable: everything is in the library; this only runs the command line.

fn main() -> std::process::ExitCode {
    glia::cli::run()
}
