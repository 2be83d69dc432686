// Each pending notification carries its reminder in userInfo, so the app can
// read back exactly what it holds (to diff against a new plan after a
// relaunch) and act on a notification's action without asking the core which
// reminder it was. Plain property-list values only.
import Foundation
import SteadyCore

extension Reminder {
    public var userInfo: [String: Any] {
        [
            "id": id, "kind": kind.wireName, "fireAtMs": NSNumber(value: fireAtMs), "local": local,
            "timeZone": timeZone, "title": title, "body": body, "priority": NSNumber(value: priority),
            "subjectId": subjectId, "snoozed": NSNumber(value: snoozed),
        ]
    }

    /// The reminder a notification's userInfo carries, or nil when it is not
    /// one of Steady's.
    public init?(userInfo: [AnyHashable: Any]) {
        guard let id = userInfo["id"] as? String,
              let kind = (userInfo["kind"] as? String).flatMap(ReminderKind.init(wireName:)),
              let fireAtMs = (userInfo["fireAtMs"] as? NSNumber)?.int64Value,
              let local = userInfo["local"] as? String, let timeZone = userInfo["timeZone"] as? String,
              let title = userInfo["title"] as? String, let body = userInfo["body"] as? String,
              let priority = (userInfo["priority"] as? NSNumber)?.uint8Value,
              let subjectId = userInfo["subjectId"] as? String,
              let snoozed = (userInfo["snoozed"] as? NSNumber)?.boolValue
        else { return nil }
        self.init(
            id: id, kind: kind, fireAtMs: fireAtMs, local: local, timeZone: timeZone, title: title,
            body: body, priority: priority, subjectId: subjectId, snoozed: snoozed)
    }
}

extension ReminderKind {
    static let all: [ReminderKind] = [.session, .dose, .followup, .checkin, .questionnaire]

    var wireName: String {
        switch self {
        case .session: return "session"
        case .dose: return "dose"
        case .followup: return "followup"
        case .checkin: return "checkin"
        case .questionnaire: return "questionnaire"
        }
    }

    init?(wireName: String) {
        guard let kind = Self.all.first(where: { $0.wireName == wireName }) else { return nil }
        self = kind
    }
}
