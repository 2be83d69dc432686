//! Every write a phone shell can make through the FFI, with inputs built from
//! the fuzzer's bytes (intensities, free text, instants, zones, dates, enum
//! choices, answer lists), in any order, on one real encrypted database; the
//! screens are read after each write. Each call must give a value or a typed
//! error, never a panic, and a refused write must leave the screens readable.
//! The FFI methods forward to these core calls after converting typed
//! instants and dates, which the `local_dates` target covers.
#![no_main]

mod common;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use steady_core::progress::{PriorUse, ProgramSettings, SobrietyDate};
use steady_core::screens::ProgressRange;
use steady_core::{
    AttendanceStatus, Company, ConsentCategory, ConsentGrant, CravingAmendment, CravingOutcome,
    DoseStatus, NewCraving, NewDailyCheckIn, NewLapse, NewMedication, Place, PlanSection,
    Weekday,
};

/// Values a patient or a shell plausibly sends, mixed with arbitrary text so
/// both the accepting and the refusing paths run.
const TEXTS: &[&str] = &[
    "", " ", "alcohol", "opioids", "stress", "boredom", "walk", "call_sponsor", "2026-03-08",
    "2026-11-01", "1899-12-31", "9999-12-31", "02:30", "24:00", "07:45", "America/New_York",
    "Europe/London", "Australia/Lord_Howe", "Not/AZone", "UTC", "\u{0}", "\u{1b}[2J", "é",
];

fn text(u: &mut Unstructured) -> Result<String> {
    if u.ratio(1, 2)? {
        Ok(TEXTS[u.choose_index(TEXTS.len())?].to_string())
    } else {
        u.arbitrary()
    }
}

fn maybe_text(u: &mut Unstructured) -> Result<Option<String>> {
    Ok(if u.arbitrary()? { Some(text(u)?) } else { None })
}

fn texts(u: &mut Unstructured) -> Result<Vec<String>> {
    let n = u.int_in_range(0..=4)?;
    (0..n).map(|_| text(u)).collect()
}

/// Instants near the fixed clock (DST changes included), and extremes.
fn instant(u: &mut Unstructured) -> Result<Option<i64>> {
    Ok(match u.int_in_range(0..=3)? {
        0 => None,
        1 => Some(1_798_977_600_000 + i64::from(u.arbitrary::<i32>()?) * 1_000),
        2 => Some(u.arbitrary()?),
        _ => Some([i64::MIN, i64::MAX, 0, -1][u.choose_index(4)?]),
    })
}

fn pick<T: Copy>(u: &mut Unstructured, options: &[T]) -> Result<T> {
    Ok(options[u.choose_index(options.len())?])
}

fn maybe<T: Copy>(u: &mut Unstructured, options: &[T]) -> Result<Option<T>> {
    Ok(if u.arbitrary()? { Some(pick(u, options)?) } else { None })
}

const COMPANY: &[Company] = &[Company::Alone, Company::WithOthers];
const PLACE: &[Place] = &[Place::Home, Place::Work, Place::Out];
const OUTCOME: &[CravingOutcome] = &[
    CravingOutcome::Passed,
    CravingOutcome::StillPresent,
    CravingOutcome::Used,
];
const WEEKDAYS: &[Weekday] = &Weekday::ALL;
const CATEGORIES: &[ConsentCategory] = &ConsentCategory::ALL;
const SECTIONS: &[PlanSection] = &[
    PlanSection::WarningSign,
    PlanSection::Strategy,
    PlanSection::Reason,
    PlanSection::SafePlace,
];
const ATTENDANCE: &[AttendanceStatus] = &[
    AttendanceStatus::Attended,
    AttendanceStatus::Late,
    AttendanceStatus::Missed,
    AttendanceStatus::Excused,
];
const DOSES: &[DoseStatus] = &[DoseStatus::Taken, DoseStatus::Skipped, DoseStatus::TakenLate];

fn new_craving(u: &mut Unstructured) -> Result<NewCraving> {
    Ok(NewCraving {
        intensity: u.arbitrary()?,
        note: maybe_text(u)?,
        occurred_at_ms: instant(u)?,
        time_zone: maybe_text(u)?,
        duration_minutes: u.arbitrary()?,
        triggers: texts(u)?,
        emotions: texts(u)?,
        company: maybe(u, COMPANY)?,
        place: maybe(u, PLACE)?,
        substances: texts(u)?,
        coping_tried: texts(u)?,
        outcome: maybe(u, OUTCOME)?,
        marked_unsafe: u.arbitrary()?,
    })
}

fn amendment(u: &mut Unstructured) -> Result<CravingAmendment> {
    Ok(CravingAmendment {
        intensity: u.arbitrary()?,
        note: maybe_text(u)?,
        occurred_at_ms: instant(u)?,
        time_zone: maybe_text(u)?,
        duration_minutes: u.arbitrary()?,
        triggers: if u.arbitrary()? { Some(texts(u)?) } else { None },
        emotions: if u.arbitrary()? { Some(texts(u)?) } else { None },
        company: maybe(u, COMPANY)?,
        place: maybe(u, PLACE)?,
        substances: if u.arbitrary()? { Some(texts(u)?) } else { None },
        coping_tried: if u.arbitrary()? { Some(texts(u)?) } else { None },
        outcome: maybe(u, OUTCOME)?,
        marked_unsafe: u.arbitrary()?,
    })
}

/// An id the database holds (so updates reach real rows) or any text.
fn some_id(u: &mut Unstructured, known: &[String]) -> Result<String> {
    if !known.is_empty() && u.ratio(3, 4)? {
        Ok(known[u.choose_index(known.len())?].clone())
    } else {
        text(u)
    }
}

/// One write, chosen and filled from the input. Errors are the expected,
/// typed answer to bad input; only a panic is a finding.
fn one_write(u: &mut Unstructured, ids: &mut Vec<String>) -> Result<()> {
    let phone = common::phone();
    match u.int_in_range(0..=17)? {
        0 => {
            if let Ok(c) = phone.log_craving_with_support(new_craving(u)?) {
                ids.push(c.craving.id);
            }
        }
        1 => {
            let id = some_id(u, ids)?;
            let _ = phone.amend_craving(&id, amendment(u)?);
        }
        2 => {
            let id = some_id(u, ids)?;
            let _ = phone.delete_craving(&id);
        }
        3 => {
            let _ = phone.log_lapse(NewLapse {
                occurred_at_ms: instant(u)?,
                time_zone: maybe_text(u)?,
                substances: texts(u)?,
                amount: maybe_text(u)?,
                triggers: texts(u)?,
                helped: maybe_text(u)?,
                note: maybe_text(u)?,
                marked_unsafe: u.arbitrary()?,
            });
        }
        4 => {
            let _ = phone.record_daily_checkin(NewDailyCheckIn {
                used_today: u.arbitrary()?,
                substances: texts(u)?,
                mood: u.arbitrary()?,
                strongest_craving: u.arbitrary()?,
                sleep_quality: u.arbitrary()?,
                medication_taken: u.arbitrary()?,
                note: maybe_text(u)?,
                local_date: maybe_text(u)?,
            });
        }
        5 => {
            let answers: Vec<u32> = u.arbitrary()?;
            let _ = if u.arbitrary()? {
                phone.submit_phq9(answers)
            } else {
                phone.submit_gad7(answers)
            };
        }
        6 => {
            if let Ok(m) = phone.add_medication(NewMedication {
                name: text(u)?,
                dose: maybe_text(u)?,
                times: texts(u)?,
                weekdays: (0..u.int_in_range(0..=7)?)
                    .map(|_| pick(u, WEEKDAYS))
                    .collect::<Result<_>>()?,
                start_date: maybe_text(u)?,
                end_date: maybe_text(u)?,
            }) {
                ids.push(m.id);
            }
        }
        7 => {
            let id = some_id(u, ids)?;
            let due = maybe_text(u)?;
            let _ = phone.confirm_dose(&id, pick(u, DOSES)?, due.as_deref());
        }
        8 => {
            let id = some_id(u, ids)?;
            let _ = phone.record_attendance(&id, pick(u, ATTENDANCE)?);
        }
        9 => {
            let _ = phone.add_to_coping_plan(pick(u, SECTIONS)?, text(u)?);
        }
        10 => {
            let _ = phone.add_support_contact(text(u)?, text(u)?);
        }
        11 => {
            let _ = phone.set_strong_craving_threshold(u.arbitrary()?);
        }
        12 => {
            let _ = phone.set_tracked_substances(texts(u)?);
        }
        13 => {
            let _ = phone.grant_consent(ConsentGrant {
                categories: (0..u.int_in_range(0..=3)?)
                    .map(|_| pick(u, CATEGORIES))
                    .collect::<Result<_>>()?,
                purpose: maybe_text(u)?,
                expires_at_ms: instant(u)?,
                signature: text(u)?,
                recipient: maybe_text(u)?,
                recipient_address: maybe_text(u)?,
            });
        }
        14 => {
            let categories = (0..u.int_in_range(0..=3)?)
                .map(|_| pick(u, CATEGORIES))
                .collect::<Result<_>>()?;
            if u.arbitrary()? {
                let _ = phone.revoke_outside_consent(text(u)?, categories);
            } else {
                let _ = phone.revoke_consent(categories);
            }
        }
        15 => {
            let reply_to = if u.arbitrary()? { Some(some_id(u, ids)?) } else { None };
            let _ = phone.send_message(text(u)?, reply_to);
        }
        16 => {
            let mut settings = phone
                .reminder_settings()
                .unwrap_or_else(|_| panic!("reminder settings unreadable"));
            settings.horizon_days = u.arbitrary()?;
            settings.cap = u.arbitrary()?;
            settings.dose_lead_minutes = u.arbitrary()?;
            settings.checkin_time = maybe_text(u)?;
            settings.quiet_start = maybe_text(u)?;
            settings.quiet_end = maybe_text(u)?;
            settings.detailed_text = u.arbitrary()?;
            let _ = phone.set_reminder_settings(settings);
        }
        _ => {
            let _ = phone.set_program_settings(ProgramSettings {
                program_start_date: maybe_text(u)?,
                weekly_program_hours: if u.arbitrary()? { Some(u.arbitrary()?) } else { None },
                sobriety_dates: (0..u.int_in_range(0..=2)?)
                    .map(|_| {
                        Ok(SobrietyDate {
                            substance: maybe_text(u)?,
                            first_sober_date: text(u)?,
                        })
                    })
                    .collect::<Result<_>>()?,
                history_known_from: maybe_text(u)?,
                prior_uses: (0..u.int_in_range(0..=2)?)
                    .map(|_| {
                        Ok(PriorUse {
                            local_date: text(u)?,
                            substances: texts(u)?,
                        })
                    })
                    .collect::<Result<_>>()?,
            });
        }
    }
    Ok(())
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut ids = Vec::new();
    for _ in 0..8 {
        if u.is_empty() || one_write(&mut u, &mut ids).is_err() {
            break;
        }
    }
    // Whatever was written, every screen still reads.
    let phone = common::phone();
    phone.today().expect("Today after any writes");
    phone.checkins_screen().expect("Check-ins after any writes");
    phone.schedule_week(None).expect("Schedule after any writes");
    phone
        .progress_screen(ProgressRange::LastMonth)
        .expect("Progress after any writes");
    phone.plan_reminders().expect("Reminders after any writes");
    let _ = phone.crisis_card();
});
