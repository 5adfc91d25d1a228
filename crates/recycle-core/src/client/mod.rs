//! What both clients share: configuration, and the drivers of a request's attempts, of a
//! bulk job and of pagination. An adapter supplies only a transport and a way to sleep.

mod builder;
mod bulk_run;
mod clock;
mod drive;
mod engine;
mod exchange;
mod pacer;
mod pager;
mod surface;

pub use builder::{Backend, ClientBuilder, TransportSettings};
pub use bulk_run::{BulkRun, Settling};
pub use clock::{Clock, ManualClock, SystemClock};
pub use drive::Drive;
pub use engine::Engine;
pub use exchange::{Completed, Exchange, Receipt, Step};
pub use pacer::Pacer;
pub use pager::Pager;
