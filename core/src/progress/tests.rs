//! Hand-counted histories for every metric. Each expected value is worked
//! out in the comment above it, not by running the code.

use super::adherence::adherence;
use super::attendance::attendance;
use super::checkins::checkin_completion;
use super::cravings::craving_stats;
use super::facts::*;
use super::sober::{milestones, sober_time, PriorHistory};
use super::*;
use crate::zone::Tz;
use crate::{DoseStatus, OccurrenceStatus};
use chrono::{DateTime, NaiveDate};

fn ny() -> Tz {
    Tz::named("America/New_York").expect("the tz database has America/New_York")
}
fn london() -> Tz {
    Tz::named("Europe/London").expect("the tz database has Europe/London")
}

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// An instant written with its local offset, e.g. `2026-03-08T23:30:00-04:00`.
fn ms(rfc3339: &str) -> i64 {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .timestamp_millis()
}

fn use_on(date: &str, substances: &[&str]) -> UseEvent {
    UseEvent {
        date: d(date),
        substances: substances.iter().map(|s| s.to_string()).collect(),
    }
}

mod sober_time_tests {
    use super::*;

    #[test]
    fn a_lapse_mid_streak_restarts_the_count_but_keeps_earlier_progress() {
        // Program 03-01..03-31 (31 days). The lapse at 23:30 New York time is
        // 03:30Z on 03-22, yet it belongs to 03-21 where it happened.
        // Sober 03-01..03-20 = 20 days, use 03-21, sober 03-22..03-31 = 10.
        let lapse = UseEvent::at(ms("2026-03-21T23:30:00-04:00"), ny(), vec![]);
        assert_eq!(lapse.date, d("2026-03-21"));
        let s = sober_time(
            None,
            &[lapse],
            &PriorHistory::default(),
            d("2026-03-01"),
            d("2026-03-31"),
        );
        assert_eq!(s.days_since_last_use, 10);
        assert_eq!(s.last_use_date.as_deref(), Some("2026-03-21"));
        assert_eq!(s.longest_streak_days, 20);
        assert_eq!(s.sober_days_in_program, 30);
        assert_eq!(s.days_in_program, 31);
        // 30 / 31 = 0.96774...
        assert_eq!(s.share_abstinent, Some(0.968));
        assert_eq!(s.milestone_reached, Some(7));
        assert_eq!(s.next_milestone_days, 14);
        assert_eq!(s.days_to_next_milestone, 4);
    }

    #[test]
    fn a_use_today_means_zero_days_and_an_untouched_history_counts_from_the_start() {
        let program = d("2026-03-01");
        let today = d("2026-03-03");
        let used = sober_time(
            None,
            &[use_on("2026-03-03", &[])],
            &PriorHistory::default(),
            program,
            today,
        );
        assert_eq!((used.days_since_last_use, used.longest_streak_days), (0, 2));
        assert_eq!(used.milestone_reached, None);
        assert_eq!(
            (used.next_milestone_days, used.days_to_next_milestone),
            (1, 1)
        );
        // No use at all: 03-01, 03-02, 03-03 are three sober days.
        let clean = sober_time(None, &[], &PriorHistory::default(), program, today);
        assert_eq!(clean.days_since_last_use, 3);
        assert_eq!(clean.last_use_date, None);
        assert_eq!(clean.share_abstinent, Some(1.0));
        assert_eq!(clean.milestone_reached, Some(3));
    }

    #[test]
    fn a_back_dated_sobriety_date_counts_before_the_program() {
        // Sober since 02-10: Feb 10..28 = 19 days + March 1..31 = 31 -> 50.
        let prior = PriorHistory {
            sobriety_starts: vec![SobrietyStart {
                substance: None,
                first_sober_day: d("2026-02-10"),
            }],
            known_from: None,
        };
        let s = sober_time(None, &[], &prior, d("2026-03-01"), d("2026-03-31"));
        assert_eq!(s.days_since_last_use, 50);
        assert_eq!(s.last_use_date.as_deref(), Some("2026-02-09"));
        assert_eq!(s.longest_streak_days, 50);
        assert_eq!((s.sober_days_in_program, s.days_in_program), (31, 31));
        assert_eq!(s.milestone_reached, Some(30));
        assert_eq!((s.next_milestone_days, s.days_to_next_milestone), (60, 10));
    }

    #[test]
    fn imported_history_and_several_substances_are_counted_apart() {
        // History known from 01-01; program from 02-01; today 03-10.
        // Uses: alcohol 01-20 (imported), cannabis 02-15, unnamed 03-05
        // (a check-in "used today": it counts against every substance).
        let uses = [
            use_on("2026-01-20", &["alcohol"]),
            use_on("2026-02-15", &["Cannabis"]),
            use_on("2026-03-05", &[]),
        ];
        let prior = PriorHistory {
            sobriety_starts: vec![],
            known_from: Some(d("2026-01-01")),
        };
        let at = |substance| sober_time(substance, &uses, &prior, d("2026-02-01"), d("2026-03-10"));
        // Program days: Feb 1..28 + Mar 1..10 = 38.
        // All: runs 01-01..01-19 = 19, 01-21..02-14 = 25, 02-16..03-04 = 17,
        // 03-06..03-10 = 5; program uses 02-15 and 03-05 -> 36 / 38.
        let all = at(None);
        assert_eq!((all.days_since_last_use, all.longest_streak_days), (5, 25));
        assert_eq!((all.sober_days_in_program, all.days_in_program), (36, 38));
        assert_eq!(all.share_abstinent, Some(0.947));
        assert_eq!(
            (all.milestone_reached, all.next_milestone_days),
            (Some(3), 7)
        );
        // Alcohol: uses 01-20 and 03-05: runs 19, 43 (01-21..03-04), 5;
        // program 37 / 38 = 0.97368.
        let alcohol = at(Some("alcohol"));
        assert_eq!(
            (alcohol.days_since_last_use, alcohol.longest_streak_days),
            (5, 43)
        );
        assert_eq!(alcohol.sober_days_in_program, 37);
        assert_eq!(alcohol.share_abstinent, Some(0.974));
        // Cannabis (named in another case): uses 02-15 and 03-05: runs 45
        // (01-01..02-14), 17, 5; program 36 / 38.
        let cannabis = at(Some("cannabis"));
        assert_eq!(
            (cannabis.days_since_last_use, cannabis.longest_streak_days),
            (5, 45)
        );
        assert_eq!(cannabis.sober_days_in_program, 36);
        assert_eq!(cannabis.last_use_date.as_deref(), Some("2026-03-05"));
    }

    #[test]
    fn a_sobriety_date_for_one_substance_leaves_the_others_alone() {
        // Alcohol sober since 03-05, program from 03-01, today 03-10:
        // alcohol 03-05..03-10 = 6 days; opioids the whole 10 days; all
        // substances together follow the latest date: 6 days.
        let prior = PriorHistory {
            sobriety_starts: vec![SobrietyStart {
                substance: Some("Alcohol".into()),
                first_sober_day: d("2026-03-05"),
            }],
            known_from: None,
        };
        let at = |s| sober_time(s, &[], &prior, d("2026-03-01"), d("2026-03-10"));
        assert_eq!(at(Some("alcohol")).days_since_last_use, 6);
        assert_eq!(at(Some("opioids")).days_since_last_use, 10);
        assert_eq!(at(None).days_since_last_use, 6);
        assert_eq!(at(None).sober_days_in_program, 9);
    }

    #[test]
    fn milestones_run_to_a_year_then_every_year() {
        assert_eq!(milestones(0), (None, 1));
        assert_eq!(milestones(1), (Some(1), 3));
        assert_eq!(milestones(29), (Some(14), 30));
        assert_eq!(milestones(180), (Some(180), 365));
        assert_eq!(milestones(365), (Some(365), 730));
        assert_eq!(milestones(800), (Some(730), 1095));
        assert_eq!(MILESTONES, [1, 3, 7, 14, 30, 60, 90, 180, 365]);
    }
}

mod attendance_tests {
    use super::*;

    fn session(start: &str, minutes: u32, status: OccurrenceStatus) -> OccurrenceFact {
        OccurrenceFact {
            start_ms: ms(start),
            zone: ny(),
            duration_min: minutes,
            status,
        }
    }

    /// Four weeks of a 9-hour plan (Mon/Wed/Fri 18:00-21:00), today Wed 03-18.
    fn four_weeks() -> Vec<OccurrenceFact> {
        use OccurrenceStatus::*;
        vec![
            // Week 02-23: 3 h of 9 -> not met.
            session("2026-02-23T18:00:00-05:00", 180, Missed),
            session("2026-02-25T18:00:00-05:00", 180, Attended),
            session("2026-02-27T18:00:00-05:00", 180, Missed),
            // Week 03-02: 9 h plus a 1 h session late on Sunday 03-08, the
            // day clocks sprang forward: 23:30 EDT is 03:30Z on 03-09 but
            // stays in this week. 10 h -> met.
            session("2026-03-02T18:00:00-05:00", 180, Attended),
            session("2026-03-04T18:00:00-05:00", 180, Late),
            session("2026-03-06T18:00:00-05:00", 180, Attended),
            session("2026-03-08T23:30:00-04:00", 60, Attended),
            // Week 03-09: the clinic cancelled Wednesday, so 6 h were offered
            // and 6 h attended -> met.
            session("2026-03-09T18:00:00-04:00", 180, Attended),
            session("2026-03-11T18:00:00-04:00", 180, Cancelled),
            session("2026-03-13T18:00:00-04:00", 180, Attended),
            // This week: 3 h attended, Wednesday unconfirmed, Friday to come
            // -> pending.
            session("2026-03-16T18:00:00-04:00", 180, Attended),
            session("2026-03-18T09:00:00-04:00", 180, Unconfirmed),
            session("2026-03-20T18:00:00-04:00", 180, Scheduled),
            // After today and before the period: ignored.
            session("2026-03-23T18:00:00-04:00", 180, Scheduled),
            session("2026-02-20T18:00:00-05:00", 180, Missed),
        ]
    }

    #[test]
    fn weeks_overall_and_the_run_are_counted_by_hand() {
        let a = attendance(&four_weeks(), Some(9.0), d("2026-02-23"), d("2026-03-18"));
        let plans: Vec<_> = a
            .weeks
            .iter()
            .map(|w| {
                (
                    w.week_start.as_str(),
                    w.hours_attended,
                    w.hours_planned,
                    w.plan,
                )
            })
            .collect();
        assert_eq!(
            plans,
            vec![
                ("2026-02-23", 3.0, 9.0, WeekPlan::NotMet),
                ("2026-03-02", 10.0, 9.0, WeekPlan::Met),
                ("2026-03-09", 6.0, 6.0, WeekPlan::Met),
                ("2026-03-16", 3.0, 9.0, WeekPlan::Pending),
            ]
        );
        // Pending this week neither counts nor breaks: 03-09 and 03-02 met,
        // 02-23 did not.
        assert_eq!(a.weeks_meeting_plan_in_a_row, 2);
        // Attended 1 + 3 + 2 + 1 = 7, late 1, missed 2: 8 / 10. Unconfirmed
        // stays outside the rate.
        let o = &a.overall;
        assert_eq!(
            (
                o.attended,
                o.late,
                o.missed,
                o.excused,
                o.unconfirmed,
                o.upcoming,
                o.cancelled
            ),
            (7, 1, 2, 0, 1, 1, 1)
        );
        assert_eq!(o.rate, Some(0.8));
        // 3 + 10 + 6 + 3 hours.
        assert_eq!(a.hours_attended, 22.0);
        assert_eq!(a.weeks[1].counts.rate, Some(1.0));
        assert_eq!(a.weeks[0].counts.rate, Some(0.333));
    }

    #[test]
    fn an_unconfirmed_session_is_never_a_miss() {
        use OccurrenceStatus::*;
        // Last week: 6 h attended of a 9 h plan, 3 h unconfirmed -> pending,
        // not "not met"; the rate is 2 / 2.
        let week = vec![
            session("2026-03-09T18:00:00-04:00", 180, Attended),
            session("2026-03-11T18:00:00-04:00", 180, Unconfirmed),
            session("2026-03-13T18:00:00-04:00", 180, Attended),
        ];
        let a = attendance(&week, Some(9.0), d("2026-03-09"), d("2026-03-18"));
        assert_eq!(a.weeks[0].plan, WeekPlan::Pending);
        assert_eq!(a.overall.rate, Some(1.0));
        assert_eq!(a.overall.unconfirmed, 1);
        assert_eq!(a.weeks_meeting_plan_in_a_row, 0);
        // This week has no sessions at all.
        assert_eq!(a.weeks[1].plan, WeekPlan::NoSessions);
    }

    #[test]
    fn without_weekly_hours_the_plan_is_every_offered_session() {
        use OccurrenceStatus::*;
        // 2 h offered (one excused is not offered), 2 h attended -> met.
        let week = vec![
            session("2026-03-09T18:00:00-04:00", 120, Attended),
            session("2026-03-11T18:00:00-04:00", 120, Excused),
        ];
        let a = attendance(&week, None, d("2026-03-09"), d("2026-03-15"));
        assert_eq!(a.weeks[0].plan, WeekPlan::Met);
        assert_eq!(a.weeks[0].hours_planned, 2.0);
        assert_eq!(a.overall.excused, 1);
        assert_eq!(a.weeks_meeting_plan_in_a_row, 1);
    }
}

mod adherence_tests {
    use super::*;

    fn dose(id: &str, name: &str, due: &str, answer: Option<DoseStatus>) -> DoseFact {
        DoseFact {
            medication_id: id.into(),
            name: name.into(),
            due_date: d(&due[..10]),
            due_ms: ms(due),
            answer,
        }
    }

    #[test]
    fn taken_over_due_for_7_and_30_days_and_overall() {
        use DoseStatus::*;
        let mut doses = Vec::new();
        // Naltrexone at 08:00 every day from 02-28 to 03-31.
        for day in super::super::days::dates(d("2026-02-28"), d("2026-03-31")) {
            let date = day.format("%Y-%m-%d").to_string();
            let answer = match date.as_str() {
                "2026-03-05" => Some(Skipped),
                "2026-03-26" => None,
                "2026-03-30" => Some(TakenLate),
                _ => Some(Taken),
            };
            doses.push(dose(
                "n",
                "Naltrexone",
                &format!("{date}T08:00:00-04:00"),
                answer,
            ));
        }
        // Buprenorphine: 03-30 21:00 unanswered counts; 03-31 19:00
        // unanswered is within its 2 h grace at 20:00; 21:00 is still ahead.
        doses.push(dose(
            "b",
            "Buprenorphine",
            "2026-03-30T21:00:00-04:00",
            None,
        ));
        doses.push(dose(
            "b",
            "Buprenorphine",
            "2026-03-31T07:00:00-04:00",
            Some(Taken),
        ));
        doses.push(dose(
            "b",
            "Buprenorphine",
            "2026-03-31T19:00:00-04:00",
            None,
        ));
        doses.push(dose(
            "b",
            "Buprenorphine",
            "2026-03-31T21:00:00-04:00",
            None,
        ));
        let now = ms("2026-03-31T20:00:00-04:00");
        let meds = adherence(&doses, d("2026-03-01"), d("2026-03-31"), now);

        assert_eq!(meds.len(), 2);
        let bup = &meds[0];
        assert_eq!(
            (bup.name.as_str(), bup.medication_id.as_str()),
            ("Buprenorphine", "b")
        );
        for counts in [&bup.last_7_days, &bup.last_30_days, &bup.overall] {
            assert_eq!((counts.taken, counts.unanswered, counts.due), (1, 1, 2));
            assert_eq!(counts.rate, Some(0.5));
        }
        let nal = &meds[1];
        // 03-25..03-31: 5 taken, 03-30 late, 03-26 unanswered: 6 / 7.
        let w = &nal.last_7_days;
        assert_eq!(
            (w.taken, w.taken_late, w.unanswered, w.skipped, w.due),
            (5, 1, 1, 0, 7)
        );
        assert_eq!(w.rate, Some(0.857));
        // 03-02..03-31: 30 due, 27 taken + 1 late: 28 / 30.
        let m = &nal.last_30_days;
        assert_eq!((m.taken, m.taken_late, m.skipped, m.due), (27, 1, 1, 30));
        assert_eq!(m.rate, Some(0.933));
        // 03-01..03-31 (02-28 is before the period): 29 / 31 = 0.93548.
        assert_eq!((nal.overall.due, nal.overall.rate), (31, Some(0.935)));
    }
}

mod craving_tests {
    use super::*;

    fn craving(
        at: &str,
        zone: Tz,
        intensity: u8,
        triggers: &[&str],
        coping: &[&str],
        passed: Option<bool>,
    ) -> CravingFact {
        CravingFact {
            at_ms: ms(at),
            zone,
            intensity,
            triggers: triggers.iter().map(|s| s.to_string()).collect(),
            coping: coping.iter().map(|s| s.to_string()).collect(),
            passed,
        }
    }

    /// Two weeks in New York and London: the DST night of 03-08 and a
    /// flight to London on the evening of 03-10.
    fn two_weeks() -> Vec<CravingFact> {
        vec![
            craving(
                "2026-03-02T10:00:00-05:00",
                ny(),
                4,
                &["stress"],
                &["delay"],
                Some(true),
            ),
            craving(
                "2026-03-02T15:00:00-05:00",
                ny(),
                6,
                &["stress", "people"],
                &["call_support"],
                Some(false),
            ),
            craving(
                "2026-03-05T20:00:00-05:00",
                ny(),
                3,
                &["boredom"],
                &[],
                None,
            ),
            // 00:30 EST and 23:30 EDT: both on the 23-hour day 03-08.
            craving(
                "2026-03-08T00:30:00-05:00",
                ny(),
                5,
                &["tired"],
                &["urge_surfing"],
                Some(true),
            ),
            craving(
                "2026-03-08T23:30:00-04:00",
                ny(),
                7,
                &["stress"],
                &["urge_surfing", "delay"],
                Some(true),
            ),
            // 21:30 in New York is already 01:30 on 03-11 in London: it stays
            // on 03-10 where it happened.
            craving(
                "2026-03-10T21:30:00-04:00",
                ny(),
                8,
                &["stress", "places"],
                &["delay"],
                Some(false),
            ),
            craving(
                "2026-03-11T09:00:00+00:00",
                london(),
                6,
                &["tired"],
                &["urge_surfing"],
                Some(true),
            ),
            craving(
                "2026-03-13T12:00:00+00:00",
                london(),
                9,
                &[],
                &["call_support"],
                Some(true),
            ),
        ]
    }

    #[test]
    fn days_weeks_and_moving_averages_follow_each_cravings_zone() {
        let s = craving_stats(
            &two_weeks(),
            d("2026-03-01"),
            d("2026-03-14"),
            d("2026-03-01"),
        );
        // 4+6+3+5+7+8+6+9 = 48 over 8 cravings.
        assert_eq!(
            (s.total, s.mean_intensity, s.peak_intensity),
            (8, Some(6.0), Some(9))
        );
        assert_eq!(s.days.len(), 14);
        let day = |date: &str| s.days.iter().find(|x| x.date == date).unwrap();
        assert_eq!(
            (day("2026-03-02").count, day("2026-03-02").mean_intensity),
            (2, Some(5.0))
        );
        assert_eq!(
            (day("2026-03-08").count, day("2026-03-08").peak_intensity),
            (2, Some(7))
        );
        assert_eq!(day("2026-03-08").mean_intensity, Some(6.0));
        assert_eq!((day("2026-03-10").count, day("2026-03-11").count), (1, 1));
        assert_eq!(
            (day("2026-03-01").count, day("2026-03-01").peak_intensity),
            (0, None)
        );
        // 7 days to 03-01: nothing. To 03-07: 4, 6, 3 -> 13 / 3, 3 / 7.
        // To 03-08: 4, 6, 3, 5, 7 -> 5.0, 5 / 7. To 03-14: 5, 7, 8, 6, 9.
        assert_eq!(day("2026-03-01").moving_avg_7_intensity, None);
        assert_eq!(day("2026-03-01").moving_avg_7_count, 0.0);
        assert_eq!(day("2026-03-07").moving_avg_7_intensity, Some(4.333));
        assert_eq!(day("2026-03-07").moving_avg_7_count, 0.429);
        assert_eq!(day("2026-03-08").moving_avg_7_intensity, Some(5.0));
        assert_eq!(day("2026-03-14").moving_avg_7_intensity, Some(7.0));
        assert_eq!(day("2026-03-14").moving_avg_7_count, 0.714);
        // Weeks: 02-23 holds only Sunday 03-01; 03-02..03-08 has 4,6,3,5,7;
        // 03-09..03-14 has 8,6,9 -> 23 / 3.
        let weeks: Vec<_> = s
            .weeks
            .iter()
            .map(|w| {
                (
                    w.week_start.as_str(),
                    w.count,
                    w.mean_intensity,
                    w.peak_intensity,
                )
            })
            .collect();
        assert_eq!(
            weeks,
            vec![
                ("2026-02-23", 0, None, None),
                ("2026-03-02", 5, Some(5.0), Some(7)),
                ("2026-03-09", 3, Some(7.667), Some(9)),
            ]
        );
    }

    #[test]
    fn the_trend_compares_mean_daily_peaks_of_two_weeks() {
        let s = craving_stats(
            &two_weeks(),
            d("2026-03-01"),
            d("2026-03-14"),
            d("2026-03-01"),
        );
        // Peaks 03-01..03-07: 0,6,0,0,3,0,0 = 9 / 7; 03-08..03-14:
        // 7,0,8,6,0,9,0 = 30 / 7. Up by 3.0 -> rising.
        assert_eq!(s.previous_7_days_mean_peak, 1.286);
        assert_eq!(s.last_7_days_mean_peak, 4.286);
        assert_eq!(s.trend, CravingTrend::Rising);
        // Tracking began 03-02: 13 days is not enough.
        let short = craving_stats(
            &two_weeks(),
            d("2026-03-02"),
            d("2026-03-14"),
            d("2026-03-02"),
        );
        assert_eq!(short.trend, CravingTrend::NotEnoughData);
    }

    #[test]
    fn the_trend_threshold_is_one_point_either_way() {
        let first = d("2026-03-01");
        let today = d("2026-03-14");
        let trend = |cravings: &[CravingFact]| craving_stats(cravings, first, today, first).trend;
        let on = |date: &str, intensity| {
            craving(
                &format!("{date}T12:00:00+00:00"),
                london(),
                intensity,
                &[],
                &[],
                None,
            )
        };
        // 7 / 7 = exactly +1.0 -> rising; 6 / 7 -> steady.
        assert_eq!(trend(&[on("2026-03-10", 7)]), CravingTrend::Rising);
        assert_eq!(trend(&[on("2026-03-10", 6)]), CravingTrend::Steady);
        // Two days at 8 the week before, nothing since: -16 / 7 -> falling.
        assert_eq!(
            trend(&[on("2026-03-02", 8), on("2026-03-03", 8)]),
            CravingTrend::Falling
        );
        assert_eq!(trend(&[]), CravingTrend::Steady);
    }

    #[test]
    fn the_week_map_triggers_and_coping_ranking() {
        let s = craving_stats(
            &two_weeks(),
            d("2026-03-01"),
            d("2026-03-14"),
            d("2026-03-01"),
        );
        let cells: Vec<(String, usize, u32)> = s
            .weekday_hour
            .iter()
            .flat_map(|row| {
                row.hours
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(hour, n)| (row.weekday.clone(), hour, *n))
                    .collect::<Vec<_>>()
            })
            .collect();
        let expected = [
            ("mon", 10),
            ("mon", 15),
            ("tue", 21),
            ("wed", 9),
            ("thu", 20),
            ("fri", 12),
            ("sun", 0),
            ("sun", 23),
        ];
        assert_eq!(
            cells,
            expected
                .iter()
                .map(|(day, hour)| (day.to_string(), *hour, 1))
                .collect::<Vec<_>>()
        );
        // stress 4, tired 2, then boredom, people, places at 1 by name.
        let triggers: Vec<_> = s
            .top_triggers
            .iter()
            .map(|t| (t.trigger.as_str(), t.count))
            .collect();
        assert_eq!(
            triggers,
            vec![
                ("stress", 4),
                ("tired", 2),
                ("boredom", 1),
                ("people", 1),
                ("places", 1)
            ]
        );
        // urge_surfing 3 of 3 passed; delay 2 of 3; call_support 1 of 2.
        let coping: Vec<_> = s
            .coping
            .iter()
            .map(|c| {
                (
                    c.strategy.as_str(),
                    c.tried,
                    c.with_outcome,
                    c.passed,
                    c.pass_rate,
                )
            })
            .collect();
        assert_eq!(
            coping,
            vec![
                ("urge_surfing", 3, 3, 3, Some(1.0)),
                ("delay", 3, 3, 2, Some(0.667)),
                ("call_support", 2, 2, 1, Some(0.5)),
            ]
        );
    }
}

mod checkin_tests {
    use super::*;

    #[test]
    fn completion_counts_today_only_once_done() {
        // 03-01..03-08 without 03-04 (7 days, one recorded twice); today is
        // 03-10: expected 03-01..03-09 = 9, done 7 -> 0.778, below 80%.
        let mut dates: Vec<NaiveDate> = super::super::days::dates(d("2026-03-01"), d("2026-03-08"))
            .filter(|x| *x != d("2026-03-04"))
            .collect();
        dates.push(d("2026-03-02"));
        let c = checkin_completion(&dates, d("2026-03-01"), d("2026-03-10"));
        assert_eq!(
            (c.done, c.expected, c.rate, c.meets_target),
            (7, 9, Some(0.778), false)
        );
        assert!(!c.done_today);
        // Done today too: 8 / 10 = 0.8 meets the target exactly.
        dates.push(d("2026-03-10"));
        let c = checkin_completion(&dates, d("2026-03-01"), d("2026-03-10"));
        assert_eq!(
            (c.done, c.expected, c.rate, c.meets_target),
            (8, 10, Some(0.8), true)
        );
        assert!(c.done_today);
        assert_eq!(c.target, 0.8);
    }
}

mod compute_tests {
    use super::*;

    #[test]
    fn per_substance_sober_time_only_when_several_are_tracked_and_since_sets_the_period() {
        let facts = Facts {
            uses: vec![use_on("2026-03-05", &["alcohol"])],
            ..Facts::default()
        };
        let mut program = Program {
            start: d("2026-03-01"),
            weekly_hours: Some(9.0),
            substances: vec!["alcohol".into()],
            prior: PriorHistory::default(),
        };
        let today = d("2026-03-10");
        let now = ms("2026-03-10T12:00:00+00:00");
        let one = compute(&facts, &program, None, today, now);
        assert!(one.sober_by_substance.is_empty());
        assert_eq!(one.sober.days_since_last_use, 5);
        assert_eq!(
            (one.period_start.as_str(), one.as_of_date.as_str()),
            ("2026-03-01", "2026-03-10")
        );
        program.substances.push("opioids".into());
        let two = compute(&facts, &program, Some(d("2026-03-08")), today, now);
        let per: Vec<_> = two
            .sober_by_substance
            .iter()
            .map(|s| (s.substance.as_deref(), s.days_since_last_use))
            .collect();
        assert_eq!(per, vec![(Some("alcohol"), 5), (Some("opioids"), 10)]);
        assert_eq!(two.period_start, "2026-03-08");
        assert_eq!(two.program_start, "2026-03-01");
        assert_eq!(two.cravings.days.len(), 3);
        // Sober figures always cover the whole program.
        assert_eq!(two.sober.days_in_program, 10);
    }
}
