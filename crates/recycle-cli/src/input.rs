//! Reading what the user gave: recording IDs (inline, from a file or stdin) and the token.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use recycle_core::secrecy::SecretString;
use recycle_core::{AccessToken, BulkPlan, InvalidIdAt, RecordingId, ValidationError};

use crate::outcome::Stop;

/// IDs with where each came from: a 1-based position in `--ids`, or a line of the file.
struct Numbered {
    ids: Vec<String>,
    positions: Vec<usize>,
    unit: &'static str,
}

/// `--ids a, b,c`: split on commas, whitespace around each trimmed.
pub(crate) fn inline_ids(list: &str) -> Result<BulkPlan, Stop> {
    let ids: Vec<String> = list.split(',').map(|s| s.trim().to_owned()).collect();
    let positions = (1..=ids.len()).collect();
    plan(Numbered {
        ids,
        positions,
        unit: "position",
    })
}

/// `--ids-file PATH` (or `-` for stdin): one ID a line, whitespace trimmed, blank lines and
/// lines starting with `#` ignored.
pub(crate) fn file_ids(path: &Path) -> Result<BulkPlan, Stop> {
    let reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        let file = File::open(path)
            .map_err(|e| Stop::usage(format!("cannot read {}: {e}", path.display())))?;
        Box::new(BufReader::new(file))
    };
    let mut numbered = Numbered {
        ids: Vec::new(),
        positions: Vec::new(),
        unit: "line",
    };
    for (index, line) in reader.lines().enumerate() {
        let line =
            line.map_err(|e| Stop::usage(format!("{}: line {}: {e}", path.display(), index + 1)))?;
        // Editors on Windows start UTF-8 files with a byte-order mark.
        let line = if index == 0 {
            line.strip_prefix('\u{feff}').unwrap_or(&line)
        } else {
            &line
        };
        let id = line.trim();
        if id.is_empty() || id.starts_with('#') {
            continue;
        }
        numbered.ids.push(id.to_owned());
        numbered.positions.push(index + 1);
    }
    plan(numbered)
}

/// Validates every ID, naming each invalid one by its position or line, then plans the job.
fn plan(numbered: Numbered) -> Result<BulkPlan, Stop> {
    let invalid: Vec<InvalidIdAt> = numbered
        .ids
        .iter()
        .zip(&numbered.positions)
        .filter_map(|(id, &position)| {
            RecordingId::new(id.as_str())
                .err()
                .map(|reason| InvalidIdAt {
                    position,
                    id: id.clone(),
                    reason,
                })
        })
        .collect();
    if !invalid.is_empty() {
        let error = ValidationError::InvalidIds { invalid };
        return Err(Stop::usage(format!("{error} (# is the {})", numbered.unit)));
    }
    BulkPlan::new(numbered.ids).map_err(|e| Stop::usage(e.to_string()))
}

/// The token: from `--token-file`, else `WEBEX_TOKEN`; surrounding whitespace trimmed.
pub(crate) fn token(file: Option<&Path>) -> Result<SecretString, Stop> {
    let raw = match file {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            Stop::usage(format!(
                "cannot read the token file {}: {e}",
                path.display()
            ))
        })?,
        None => std::env::var("WEBEX_TOKEN").map_err(|_| {
            Stop::usage("no token: pass --token-file PATH or set WEBEX_TOKEN; nothing was sent")
        })?,
    };
    let token = SecretString::from(raw.trim().to_owned());
    AccessToken::new(token.clone()).map_err(|e| Stop::usage(format!("{e}; nothing was sent")))?;
    Ok(token)
}
