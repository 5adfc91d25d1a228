//! Lengths of time on the command line: `90d`, `12w`, `36h`, `30m`, `2s`, `500ms`.

use std::time::Duration;

/// Parses a whole number followed by a unit: `w` (weeks), `d` (days), `h`, `m`, `s` or
/// `ms`.
pub(crate) fn parse(s: &str) -> Result<Duration, String> {
    let refuse = || format!("{s:?} is not a length of time such as 90d, 12w, 36h, 2s or 500ms");
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(refuse)?;
    let (number, unit) = s.split_at(split);
    let n: u64 = number.parse().map_err(|_| refuse())?;
    let seconds = |per: u64| n.checked_mul(per).map(Duration::from_secs);
    match unit {
        "w" => seconds(7 * 86_400),
        "d" => seconds(86_400),
        "h" => seconds(3_600),
        "m" => seconds(60),
        "s" => seconds(1),
        "ms" => Some(Duration::from_millis(n)),
        _ => None,
    }
    .ok_or_else(refuse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_refusals() {
        assert_eq!(parse("90d"), Ok(Duration::from_secs(90 * 86_400)));
        assert_eq!(parse("2w"), Ok(Duration::from_secs(14 * 86_400)));
        assert_eq!(parse("36h"), Ok(Duration::from_secs(36 * 3_600)));
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("0s"), Ok(Duration::ZERO));
        for bad in [
            "",
            "d",
            "90",
            "90 d",
            "-1d",
            "1.5d",
            "9y",
            "99999999999999999999d",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
