//! One set of integration scenarios, run against both clients (`recycle-async` on reqwest,
//! `recycle-blocking` on ureq) and the simulator over real loopback sockets. The scenarios
//! are in `tests/`; this crate has no code of its own.
