//! A progress bar on standard error for runs longer than a moment: rows done, rows per second
//! and an estimate of the time left. Only on a terminal (never in a cron log, never on standard
//! output); `--quiet` turns it off.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use collectmaxx::run::Progress;

/// Runs shorter than this show no bar at all.
const DELAY: Duration = Duration::from_millis(1500);

pub struct Bar {
    bar: ProgressBar,
    started: Instant,
    shown: Mutex<bool>,
}

/// A bar for this run, or `None` when standard error is not a terminal or `quiet` is set.
pub fn bar(quiet: bool) -> Option<Box<dyn Progress>> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    let style =
        ProgressStyle::with_template("{spinner} {prefix} [{bar:30}] {percent:>3}% {msg} ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    bar.set_style(style);
    Some(Box::new(Bar {
        bar,
        started: Instant::now(),
        shown: Mutex::new(false),
    }))
}

impl Progress for Bar {
    fn input(&self, index: usize, count: usize, path: &str) {
        let name = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = if count > 1 {
            format!("{}/{count} {name}", index + 1)
        } else {
            name
        };
        self.bar.set_prefix(prefix);
        self.bar.set_position(0);
    }

    fn advance(&self, rows: u64, position: Option<(u64, u64)>) {
        let elapsed = self.started.elapsed();
        if elapsed < DELAY {
            return;
        }
        if let Ok(mut shown) = self.shown.lock() {
            if !*shown {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
                *shown = true;
            }
        }
        if let Some((done, total)) = position {
            self.bar.set_length(total);
            self.bar.set_position(done);
        }
        let rate = rows as f64 / elapsed.as_secs_f64().max(0.001);
        self.bar
            .set_message(format!("{rows} rows, {rate:.0} rows/s"));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
