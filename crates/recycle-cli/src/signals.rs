//! SIGINT and SIGTERM during a job: the first stops it (what is in flight finishes, the
//! report is printed, exit 130 or 143); a second abandons what is in flight and exits at
//! once, the report still printed.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use recycle_core::StopHandle;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// The exit code after a signal: 128 + its number.
pub(crate) fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(1)
}

/// Watches for SIGINT and SIGTERM while a job runs.
pub(crate) struct Watch {
    pub(crate) stop: StopHandle,
    /// The first signal received, 0 until one comes.
    signal: Arc<AtomicI32>,
    handle: signal_hook::iterator::Handle,
}

/// What the watcher does on the second signal when the job cannot give up its requests in
/// flight by itself (a blocking call): print this and exit.
pub(crate) type LastWords = Arc<Mutex<Option<Box<dyn FnOnce(i32) + Send>>>>;

impl Watch {
    /// Starts watching. `last_words`, if set when the second signal comes, is called (and
    /// the process exits) unless the job returns within half a second; whichever of the two
    /// sets `printing` first prints the report.
    pub(crate) fn start(
        last_words: LastWords,
        printing: Arc<std::sync::atomic::AtomicBool>,
    ) -> std::io::Result<Self> {
        let mut signals = Signals::new([SIGINT, SIGTERM])?;
        let handle = signals.handle();
        let stop = StopHandle::new();
        let signal = Arc::new(AtomicI32::new(0));
        let (stop2, signal2) = (stop.clone(), signal.clone());
        std::thread::spawn(move || {
            for sig in signals.forever() {
                if signal2.load(Ordering::SeqCst) == 0 {
                    signal2.store(sig, Ordering::SeqCst);
                    stop2.stop();
                    eprintln!(
                        "recycle: stopping: no new batch is sent, what is in flight finishes (signal again to abandon it)"
                    );
                    continue;
                }
                stop2.abandon();
                eprintln!("recycle: abandoning what is in flight");
                std::thread::sleep(Duration::from_millis(500));
                let words = last_words.lock().ok().and_then(|mut w| w.take());
                let Some(words) = words else {
                    continue; // the job gives up what is in flight by itself
                };
                if printing
                    .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                    .is_err()
                {
                    return; // the job ended and is printing its report
                }
                let first = signal2.load(Ordering::SeqCst);
                words(first);
                std::process::exit(i32::from(exit_code(first)));
            }
        });
        Ok(Self {
            stop,
            signal,
            handle,
        })
    }

    /// The first signal received, if any.
    pub(crate) fn signal(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            s => Some(s),
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.handle.close();
    }
}
