//! The full progress report for a period, in one call.

use super::{compute, ProgressReport};
use crate::{Error, Result, Steady};

impl Steady {
    /// Every progress figure from `since` (`YYYY-MM-DD`; the program start
    /// when absent) to today.
    pub fn progress(&self, since: Option<&str>) -> Result<ProgressReport> {
        let now = self.now();
        let today = self.local_today()?;
        let since = since
            .map(|text| {
                let date = crate::validate::date("since", text)?;
                if date > today {
                    return Err(Error::invalid("since", "is after today"));
                }
                Ok(date)
            })
            .transpose()?;
        let (program, prior_uses) = self.program(today)?;
        let first = since.unwrap_or(program.start);
        let facts = self.facts(first, today, prior_uses)?;
        Ok(compute(
            &facts,
            &program,
            since,
            today,
            now.timestamp_millis(),
        ))
    }
}
