//! Notification wording. Lock screens are public, so by default no title or
//! body names treatment, therapy, a clinic, a substance, a craving or a
//! medication; a patient who opts into detailed text sees session titles,
//! places and medication names. Steady's own words never name substances or
//! cravings in either mode.

/// Title and body of one notification.
pub(crate) type Text = (String, String);

fn lead(minutes: u32) -> String {
    match minutes {
        0 => "Starting now".to_string(),
        60 => "Starts in 1 hour".to_string(),
        m if m % 60 == 0 => format!("Starts in {} hours", m / 60),
        m => format!("Starts in {m} minutes"),
    }
}

/// `at` is the start as the phone's clock shows it (`HH:MM`).
pub(crate) fn session(
    detailed: bool,
    title: &str,
    place: Option<&str>,
    lead_min: u32,
    at: &str,
) -> Text {
    if !detailed {
        return (format!("Coming up at {at}"), format!("{}.", lead(lead_min)));
    }
    let body = match place {
        Some(place) => format!("{} · {place}", lead(lead_min)),
        None => format!("{}.", lead(lead_min)),
    };
    (format!("{title} at {at}"), body)
}

pub(crate) fn dose(detailed: bool, name: &str, amount: Option<&str>, at: &str) -> Text {
    if !detailed {
        return (format!("It's {at}"), format!("Time for your {at} routine."));
    }
    let body = match amount {
        Some(amount) => format!("Time to take {amount} ({at})."),
        None => format!("Time to take it ({at})."),
    };
    (name.to_string(), body)
}

pub(crate) fn followup(detailed: bool, name: &str, at: &str) -> Text {
    if !detailed {
        return (
            "Still to do".to_string(),
            format!("Your {at} routine is not checked off yet."),
        );
    }
    (
        format!("{name} at {at}"),
        "Not confirmed yet: taken, skipped or late?".to_string(),
    )
}

pub(crate) fn checkin(detailed: bool) -> Text {
    if !detailed {
        return (
            "A minute for you".to_string(),
            "How is your day going?".to_string(),
        );
    }
    (
        "Daily check-in".to_string(),
        "How are you today? It takes a minute.".to_string(),
    )
}

/// A clinic-assigned questionnaire; its title only in detailed text (a title
/// such as "PHQ-9" or "Weekly cravings" can reveal treatment).
pub(crate) fn questionnaire(detailed: bool, title: &str) -> Text {
    if !detailed {
        return (
            "A few questions for you".to_string(),
            "They take a couple of minutes.".to_string(),
        );
    }
    (
        title.to_string(),
        "Your clinic's weekly questions are ready.".to_string(),
    )
}
