//! The executor: the only module of glia that starts processes or owns threads.
//!
//! Every tool run (nocmodl, the C++ compiler, the linker, a compiler's `--version`) goes through
//! [`Executor::run`]: the program is started directly (never through a shell), optionally behind a compiler
//! launcher such as `ccache`, its standard output and error are captured together, and the run is counted by kind,
//! so a build can report — and tests can check — exactly how many translations, compiles and links it did.
//! [`Executor::parallel_map`] runs work items on a rayon pool with `jobs` threads.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

/// What a process run is for; runs are counted per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToolKind {
    /// A mod file translated to C++ (nocmodl or modcc).
    Translate,
    /// One C++ file compiled to an object.
    Compile,
    /// A precompiled header built.
    Precompile,
    /// A library or executable linked.
    Link,
    /// A question asked of a tool (its version) or of a Python interpreter (its `sys.path`).
    Query,
    /// A built library loaded and its mechanisms tried (`glia compile`'s load test).
    Test,
}

/// How many processes of each kind a build started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProcessCounts {
    pub translate: usize,
    pub compile: usize,
    pub precompile: usize,
    pub link: usize,
    pub query: usize,
    pub test: usize,
}

/// One program to run: the program, its arguments, where, and extra environment variables.
#[derive(Clone, Debug)]
pub struct ToolCommand {
    pub kind: ToolKind,
    pub program: PathBuf,
    pub arguments: Vec<OsString>,
    pub working_directory: Option<PathBuf>,
    pub environment: Vec<(OsString, OsString)>,
    /// Put the executor's compiler launcher (e.g. `ccache`) in front of the program.
    pub use_launcher: bool,
}

impl ToolCommand {
    pub fn new(kind: ToolKind, program: impl Into<PathBuf>) -> ToolCommand {
        ToolCommand {
            kind,
            program: program.into(),
            arguments: Vec::new(),
            working_directory: None,
            environment: Vec::new(),
            use_launcher: false,
        }
    }

    pub fn argument(mut self, argument: impl Into<OsString>) -> ToolCommand {
        self.arguments.push(argument.into());
        self
    }

    pub fn arguments<I, A>(mut self, arguments: I) -> ToolCommand
    where
        I: IntoIterator<Item = A>,
        A: Into<OsString>,
    {
        self.arguments.extend(arguments.into_iter().map(Into::into));
        self
    }

    pub fn current_directory(mut self, folder: impl Into<PathBuf>) -> ToolCommand {
        self.working_directory = Some(folder.into());
        self
    }

    pub fn environment_variable(
        mut self,
        name: impl Into<OsString>,
        value: impl Into<OsString>,
    ) -> ToolCommand {
        self.environment.push((name.into(), value.into()));
        self
    }

    pub fn with_launcher(mut self) -> ToolCommand {
        self.use_launcher = true;
        self
    }
}

/// What a finished run gave.
#[derive(Clone, Debug)]
pub struct ToolRun {
    /// The command line as a person would type it (for `--verbose` and error messages).
    pub command_line: String,
    pub success: bool,
    /// Standard output followed by standard error, lossily decoded.
    pub output: String,
    pub duration: Duration,
}

/// Runs tools and work items; counts what it ran.
pub struct Executor {
    pool: rayon::ThreadPool,
    launcher: Vec<OsString>,
    verbose: bool,
    counts: Mutex<ProcessCounts>,
    /// Wall time spent in compiles and precompiled-header builds, summed over the threads.
    compile_time: Mutex<Duration>,
}

impl Executor {
    /// An executor with `jobs` worker threads (0: one per core) and an optional launcher command (split on
    /// whitespace, e.g. `ccache` or `sccache`) put in front of compiler runs. With `verbose`, every command line is
    /// printed to standard error before it runs.
    pub fn new(jobs: usize, launcher: Option<&str>, verbose: bool) -> std::io::Result<Executor> {
        let threads = if jobs == 0 {
            std::thread::available_parallelism().map_or(1, usize::from)
        } else {
            jobs
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|index| format!("glia-build-{index}"))
            .build()
            .map_err(std::io::Error::other)?;
        Ok(Executor {
            pool,
            launcher: launcher
                .map(|text| text.split_whitespace().map(OsString::from).collect())
                .unwrap_or_default(),
            verbose,
            counts: Mutex::new(ProcessCounts::default()),
            compile_time: Mutex::new(Duration::ZERO),
        })
    }

    /// The number of worker threads.
    pub fn jobs(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Runs `work` on every item on the pool; results in item order. Items are started in their order (a work
    /// queue, not rayon's halving split), so a caller that puts the longest work first gets the shortest build.
    pub fn parallel_map<T, R, F>(&self, items: Vec<T>, work: F) -> Vec<R>
    where
        T: Send,
        R: Send,
        F: Fn(T) -> R + Sync + Send,
    {
        let count = items.len();
        let waiting: Vec<Mutex<Option<T>>> = items
            .into_iter()
            .map(|item| Mutex::new(Some(item)))
            .collect();
        let finished: Vec<Mutex<Option<R>>> = (0..count).map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        let workers = self.jobs().min(count);
        self.pool.scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|_| loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= count {
                        break;
                    }
                    let item = lock(&waiting[index])
                        .take()
                        .expect("each item is taken once");
                    let result = work(item);
                    *lock(&finished[index]) = Some(result);
                });
            }
        });
        finished
            .into_iter()
            .map(|slot| {
                slot.into_inner()
                    .unwrap_or_else(|poison| poison.into_inner())
                    .expect("every item was worked on")
            })
            .collect()
    }

    /// Runs two closures, possibly at the same time, on the pool.
    pub fn join<A, B, RA, RB>(&self, first: A, second: B) -> (RA, RB)
    where
        A: FnOnce() -> RA + Send,
        B: FnOnce() -> RB + Send,
        RA: Send,
        RB: Send,
    {
        self.pool.install(|| rayon::join(first, second))
    }

    /// How many processes of each kind have been started so far.
    pub fn counts(&self) -> ProcessCounts {
        *self
            .counts
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// The time compiles (and precompiled-header builds) took, summed: divided by the jobs, the floor of a build.
    pub fn compile_time(&self) -> Duration {
        *self
            .compile_time
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Runs one command to completion. A program that cannot be started gives a run that failed, with the reason as
    /// its output.
    pub fn run(&self, command: &ToolCommand) -> ToolRun {
        let (program, arguments) = self.program_and_arguments(command);
        let command_line = describe_command_line(&program, &arguments, command);
        if self.verbose {
            eprintln!("{command_line}");
        }
        self.count(command.kind);
        let mut process = Command::new(&program);
        process
            .args(&arguments)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(folder) = &command.working_directory {
            process.current_dir(folder);
        }
        for (name, value) in &command.environment {
            process.env(name, value);
        }
        let start = Instant::now();
        let result = process.output();
        if matches!(command.kind, ToolKind::Compile | ToolKind::Precompile) {
            *self
                .compile_time
                .lock()
                .unwrap_or_else(|poison| poison.into_inner()) += start.elapsed();
        }
        match result {
            Ok(output) => {
                let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
                text.push_str(&String::from_utf8_lossy(&output.stderr));
                ToolRun {
                    command_line,
                    success: output.status.success(),
                    output: text,
                    duration: start.elapsed(),
                }
            }
            Err(error) => ToolRun {
                command_line,
                success: false,
                output: format!("cannot run {}: {error}", program.display()),
                duration: start.elapsed(),
            },
        }
    }

    fn program_and_arguments(&self, command: &ToolCommand) -> (PathBuf, Vec<OsString>) {
        if command.use_launcher {
            if let Some((launcher, launcher_arguments)) = self.launcher.split_first() {
                let mut arguments = launcher_arguments.to_vec();
                arguments.push(command.program.clone().into_os_string());
                arguments.extend(command.arguments.iter().cloned());
                return (PathBuf::from(launcher), arguments);
            }
        }
        (command.program.clone(), command.arguments.clone())
    }

    fn count(&self, kind: ToolKind) {
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        match kind {
            ToolKind::Translate => counts.translate += 1,
            ToolKind::Compile => counts.compile += 1,
            ToolKind::Precompile => counts.precompile += 1,
            ToolKind::Link => counts.link += 1,
            ToolKind::Query => counts.query += 1,
            ToolKind::Test => counts.test += 1,
        }
    }
}

/// Locks a mutex whose holder may have panicked (the data is still usable: each slot is written once).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// A command line for people: arguments with spaces or quotes are single-quoted. Only ever printed, never run.
fn describe_command_line(program: &Path, arguments: &[OsString], command: &ToolCommand) -> String {
    let mut words = Vec::with_capacity(arguments.len() + 3);
    if let Some(folder) = &command.working_directory {
        words.push(format!("(in {})", folder.display()));
    }
    for (name, value) in &command.environment {
        words.push(format!(
            "{}={}",
            name.to_string_lossy(),
            quote_for_display(&value.to_string_lossy())
        ));
    }
    words.push(quote_for_display(&program.to_string_lossy()));
    words.extend(
        arguments
            .iter()
            .map(|argument| quote_for_display(&argument.to_string_lossy())),
    );
    words.join(" ")
}

fn quote_for_display(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "-_./=:+,@%".contains(character))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_without_a_shell_and_counts_by_kind() {
        let executor = Executor::new(2, None, false).unwrap();
        // A shell would expand `$HOME` and `*`; started directly, `echo` prints them as they are.
        let run =
            executor.run(&ToolCommand::new(ToolKind::Query, "echo").arguments(["$HOME", "*"]));
        assert!(run.success);
        assert_eq!(run.output, "$HOME *\n");
        let failed = executor.run(&ToolCommand::new(
            ToolKind::Compile,
            "/nonexistent/compiler",
        ));
        assert!(!failed.success);
        assert!(
            failed.output.contains("/nonexistent/compiler"),
            "{}",
            failed.output
        );
        let counts = executor.counts();
        assert_eq!((counts.query, counts.compile, counts.link), (1, 1, 0));
    }

    #[test]
    fn the_launcher_goes_in_front_of_compiler_runs_only() {
        let executor = Executor::new(1, Some("echo launched"), false).unwrap();
        let compile = executor.run(
            &ToolCommand::new(ToolKind::Compile, "g++")
                .argument("-c")
                .with_launcher(),
        );
        assert_eq!(compile.output, "launched g++ -c\n");
        let query = executor.run(&ToolCommand::new(ToolKind::Query, "echo").argument("plain"));
        assert_eq!(query.output, "plain\n");
    }

    #[test]
    fn command_lines_quote_what_a_reader_would_misread() {
        let command = ToolCommand::new(ToolKind::Compile, "g++")
            .arguments(["-I/a b", "x.cpp"])
            .environment_variable("MODLUNIT", "/u/nrnunits.lib");
        let line = describe_command_line(&command.program, &command.arguments, &command);
        assert_eq!(line, "MODLUNIT=/u/nrnunits.lib g++ '-I/a b' x.cpp");
    }

    #[test]
    fn parallel_map_keeps_item_order() {
        let executor = Executor::new(2, None, false).unwrap();
        let doubled = executor.parallel_map((0..100).collect(), |number: i32| number * 2);
        assert_eq!(
            doubled,
            (0..100).map(|number| number * 2).collect::<Vec<_>>()
        );
        assert!(executor
            .parallel_map(Vec::<i32>::new(), |number| number)
            .is_empty());
    }

    #[test]
    fn parallel_map_starts_items_in_order() {
        let executor = Executor::new(1, None, false).unwrap();
        let started = Mutex::new(Vec::new());
        executor.parallel_map(vec![3, 1, 2], |number| lock(&started).push(number));
        assert_eq!(*lock(&started), [3, 1, 2]);
    }
}
