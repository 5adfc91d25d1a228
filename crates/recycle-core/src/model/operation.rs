//! The three recycle-bin operations and their wire names.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One of the three recycle-bin operations, as a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OperationKind {
    /// Move recordings into the recycle bin (`softDelete`).
    Trash = 0,
    /// Restore recordings from the recycle bin.
    Restore = 1,
    /// Purge recordings from the recycle bin for good.
    Purge = 2,
}

impl OperationKind {
    /// All three operations.
    pub const ALL: [OperationKind; 3] = [Self::Trash, Self::Restore, Self::Purge];

    /// The body flag that means "all recordings": `trashAll`, `restoreAll` or `purgeAll`.
    pub const fn flag(self) -> &'static str {
        match self {
            Self::Trash => "trashAll",
            Self::Restore => "restoreAll",
            Self::Purge => "purgeAll",
        }
    }

    /// The endpoint path below the base URL, such as `/convergedRecordings/softDelete`.
    pub const fn path(self) -> &'static str {
        match self {
            Self::Trash => "/convergedRecordings/softDelete",
            Self::Restore => "/convergedRecordings/restore",
            Self::Purge => "/convergedRecordings/purge",
        }
    }

    /// The body's field names, flag first.
    pub const fn fields(self) -> &'static [&'static str] {
        match self {
            Self::Trash => &["trashAll", "ownerEmail", "recordingIds"],
            Self::Restore => &["restoreAll", "ownerEmail", "recordingIds"],
            Self::Purge => &["purgeAll", "ownerEmail", "recordingIds"],
        }
    }

    /// The status of the recordings the operation acts on: `available` for trash, `deleted`
    /// (the recycle bin) for restore and purge.
    pub const fn source_status(self) -> crate::RecordingStatus {
        match self {
            Self::Trash => crate::RecordingStatus::Available,
            Self::Restore | Self::Purge => crate::RecordingStatus::Deleted,
        }
    }

    /// The status the operation leads to: `deleted` after trash, `available` after restore,
    /// `purged` after purge.
    pub const fn target_status(self) -> crate::RecordingStatus {
        match self {
            Self::Trash => crate::RecordingStatus::Deleted,
            Self::Restore => crate::RecordingStatus::Available,
            Self::Purge => crate::RecordingStatus::Purged,
        }
    }

    /// The short name used in reports and on the command line: `trash`, `restore`, `purge`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Trash => "trash",
            Self::Restore => "restore",
            Self::Purge => "purge",
        }
    }
}

impl fmt::Display for OperationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A type-level operation marker: [`Trash`], [`Restore`] or [`Purge`].
///
/// Sealed: the API has exactly these three operations.
pub trait Operation: sealed::Sealed + Copy + Default + fmt::Debug + Send + Sync + 'static {
    /// The operation as a value.
    const KIND: OperationKind;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! marker {
    ($(#[$doc:meta])* $name:ident => $kind:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name;
        impl sealed::Sealed for $name {}
        impl Operation for $name {
            const KIND: OperationKind = OperationKind::$kind;
        }
    };
}

marker!(
    /// Move into the recycle bin: `POST /convergedRecordings/softDelete`, flag `trashAll`.
    Trash => Trash
);
marker!(
    /// Restore from the recycle bin: `POST /convergedRecordings/restore`, flag `restoreAll`.
    Restore => Restore
);
marker!(
    /// Purge from the recycle bin: `POST /convergedRecordings/purge`, flag `purgeAll`.
    Purge => Purge
);
