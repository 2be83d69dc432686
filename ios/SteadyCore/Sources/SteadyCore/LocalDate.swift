// A calendar day without a zone (the patient's local date), as Steady's core
// hands it over: days since 1970-01-01. Foundation has no such type; this one
// converts to year/month/day and to DateComponents for formatting.
import Foundation

public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before); `java.time.LocalDate.toEpochDay()`.
    public let epochDay: Int32

    public init(epochDay: Int32) {
        self.epochDay = epochDay
    }

    /// The day with this year, month (1–12) and day (1–31), proleptic Gregorian.
    public init(year: Int, month: Int, day: Int) {
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.epochDay = Int32(era * 146097 + doe - 719468)
    }

    /// Year, month (1–12) and day (1–31).
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(epochDay) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// For `Calendar.date(from:)` and date formatters.
    public var dateComponents: DateComponents {
        let c = components
        return DateComponents(year: c.year, month: c.month, day: c.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = components
        return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        lhs.epochDay < rhs.epochDay
    }
}
