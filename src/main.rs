//! The `glia` executable: everything is in the library; this only runs the command line.

/// The syntax tree is made of many small allocations; mimalloc makes them (and freeing them) about twice as cheap as
/// the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    glia::cli::run()
}
