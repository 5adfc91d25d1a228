//! How fast the machine was while each part ran: a control loop (parsing `Retry-After: 30`,
//! nothing to do with what is measured) timed before the part, and the CPU time the
//! hypervisor gave to others during it ("steal", from `/proc/stat` on Linux). This machine
//! runs some processes at half speed without any steal showing; the control shows it.

use std::hint::black_box;
use std::time::{Instant, UNIX_EPOCH};

use recycle_core::protocol::parse_retry_after;

/// Nanoseconds of one pass of the control loop (the median of 15 rounds).
pub(crate) fn control_ns() -> f64 {
    const PASSES: u32 = 40_000;
    let mut rounds: Vec<f64> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..PASSES {
                black_box(parse_retry_after(black_box("30"), UNIX_EPOCH));
            }
            start.elapsed().as_secs_f64() * 1e9 / f64::from(PASSES)
        })
        .collect();
    crate::median(&mut rounds)
}

/// Clock ticks per second of `/proc/stat` (`USER_HZ`, 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

/// Steal time of all CPUs so far, in seconds, where the system says it.
fn steal_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu = stat.lines().next()?.strip_prefix("cpu ")?;
    // user nice system idle iowait irq softirq steal ...
    let steal: f64 = cpu.split_whitespace().nth(7)?.parse().ok()?;
    Some(steal / TICKS_PER_SECOND)
}

/// A part's wall time and the steal time during it.
pub(crate) struct Watch {
    started: Instant,
    steal: Option<f64>,
}

impl Watch {
    pub(crate) fn start() -> Self {
        Self {
            started: Instant::now(),
            steal: steal_seconds(),
        }
    }

    /// Seconds of CPU given to others per second of the part (0 to the CPU count), if known.
    pub(crate) fn steal_share(&self) -> Option<f64> {
        let stolen = steal_seconds()? - self.steal?;
        let wall = self.started.elapsed().as_secs_f64();
        (wall > 0.0).then(|| stolen / wall)
    }
}
