//! Progress of a long build on standard error: a bar on a terminal, one plain line per finished step otherwise
//! (logs and CI), nothing when quiet. Safe to call from the executor's threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressMode {
    Bar,
    Lines,
    Quiet,
}

impl ProgressMode {
    /// A bar when standard error is a terminal, nothing otherwise (for builds started from inside a program, whose
    /// log a line per step would flood).
    pub fn for_standard_error_or_quiet() -> ProgressMode {
        match ProgressMode::for_standard_error() {
            ProgressMode::Bar => ProgressMode::Bar,
            _ => ProgressMode::Quiet,
        }
    }

    /// A bar when standard error is a terminal, lines otherwise.
    pub fn for_standard_error() -> ProgressMode {
        use std::io::IsTerminal;
        if std::io::stderr().is_terminal() {
            ProgressMode::Bar
        } else {
            ProgressMode::Lines
        }
    }
}

/// Counts finished steps out of a total and shows them.
pub struct Progress {
    mode: ProgressMode,
    bar: Option<ProgressBar>,
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Progress {
    pub fn new(mode: ProgressMode) -> Progress {
        let bar = (mode == ProgressMode::Bar).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed}] {bar:30} {pos}/{len} {wide_msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            mode,
            bar,
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
        }
    }

    /// Adds `steps` to the number of steps expected.
    pub fn add_steps(&self, steps: usize) {
        let total = self.total.fetch_add(steps, Ordering::Relaxed) + steps;
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        }
    }

    /// A step finished; `message` says which (e.g. `compiled Kv1.mod (2.1 s)`).
    pub fn step_finished(&self, message: &str) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match (&self.bar, self.mode) {
            (Some(bar), _) => {
                bar.inc(1);
                bar.set_message(message.to_string());
            }
            (None, ProgressMode::Lines) => {
                let total = self.total.load(Ordering::Relaxed);
                eprintln!("[{done}/{total}] {message}");
            }
            _ => {}
        }
    }

    /// A line for the user that is not a step (waiting for a lock, a fallback taken), shown unless quiet.
    pub fn note(&self, message: &str) {
        match (&self.bar, self.mode) {
            (Some(bar), _) => bar.println(message),
            (None, ProgressMode::Lines) => eprintln!("{message}"),
            _ => {}
        }
    }

    /// Removes the bar (before the summary is printed).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
