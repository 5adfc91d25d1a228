//! How a command ends: its exit code and the one-line reason on stderr.

use std::process::ExitCode;

/// A command that did not fully succeed.
#[derive(Debug)]
pub(crate) struct Stop {
    code: u8,
    message: Option<String>,
}

impl Stop {
    /// Bad input or usage; nothing was sent. Exit 2.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: Some(message.into()),
        }
    }

    /// Something failed or was not attempted, or the API refused. Exit 1.
    pub(crate) fn failed(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: Some(message.into()),
        }
    }

    /// Failed, with the details already printed. Exit 1.
    pub(crate) fn failed_quietly() -> Self {
        Self {
            code: 1,
            message: None,
        }
    }

    /// Stopped by a signal, the report printed: exit 128 + the signal's number (130 for
    /// SIGINT, 143 for SIGTERM).
    pub(crate) fn signal(signal: i32) -> Self {
        Self {
            code: crate::signals::exit_code(signal),
            message: None,
        }
    }

    /// From a client error: invalid input is a usage error, anything else a failure.
    pub(crate) fn from_error(error: &recycle_core::Error) -> Self {
        if error.is_invalid_input() {
            Self::usage(error.to_string())
        } else {
            Self::failed(error.to_string())
        }
    }

    /// Prints the reason and gives the exit code.
    pub(crate) fn report(self) -> ExitCode {
        if let Some(message) = self.message {
            eprintln!("recycle: {message}");
        }
        ExitCode::from(self.code)
    }
}
