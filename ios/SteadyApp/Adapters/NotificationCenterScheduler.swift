// Holds Steady's reminder window in UNUserNotificationCenter: each request
// carries its reminder in userInfo (read back to diff against the next plan),
// the category whose actions the lock screen shows, and time-sensitive
// delivery only when the patient allowed it. Only what the core's diff names
// is removed or added. Text is the core's (discreet unless the patient chose
// detailed); nothing here is logged.
import Foundation
import SteadyCore
import SteadyShell
import UserNotifications

final class NotificationCenterScheduler: NotificationScheduler, @unchecked Sendable {
    private let center = UNUserNotificationCenter.current()

    /// Registers the categories with their actions and the neutral
    /// placeholder shown when previews are hidden. Actions that record health
    /// data ask for the device to be unlocked first; Log craving takes the
    /// strength (0–10) as text in the notification itself.
    func register(_ categories: [NotificationCategory]) async {
        let registered = categories.map { category in
            UNNotificationCategory(
                identifier: category.rawValue,
                actions: category.actions.map { action -> UNNotificationAction in
                    var options: UNNotificationActionOptions = []
                    if action.recordsHealthData { options.insert(.authenticationRequired) }
                    if action.takesIntensity {
                        return UNTextInputNotificationAction(
                            identifier: action.rawValue, title: action.title, options: options,
                            textInputButtonTitle: "Save", textInputPlaceholder: "0–10")
                    }
                    return UNNotificationAction(identifier: action.rawValue, title: action.title, options: options)
                },
                intentIdentifiers: [],
                hiddenPreviewsBodyPlaceholder: hiddenPreviewsPlaceholder,
                options: [])
        }
        center.setNotificationCategories(Set(registered))
    }

    func pendingReminders() async -> [Reminder] {
        await center.pendingNotificationRequests().compactMap { Reminder(userInfo: $0.content.userInfo) }
    }

    func cancel(ids: [String]) async {
        center.removePendingNotificationRequests(withIdentifiers: ids)
    }

    func add(_ notifications: [PlannedNotification]) async throws {
        for notification in notifications {
            try await center.add(request(for: notification))
        }
    }

    func delivered(since: Date) async -> [DeliveredReminder] {
        await center.deliveredNotifications().compactMap { shown in
            guard shown.date > since, let reminder = Reminder(userInfo: shown.request.content.userInfo) else { return nil }
            return DeliveredReminder(reminder: reminder, deliveredAt: shown.date)
        }
    }

    func dismiss(ids: [String]) async {
        center.removeDeliveredNotifications(withIdentifiers: ids)
    }

    private func request(for notification: PlannedNotification) -> UNNotificationRequest {
        let content = UNMutableNotificationContent()
        content.title = notification.reminder.title
        content.body = notification.reminder.body
        content.categoryIdentifier = notification.category.rawValue
        content.threadIdentifier = notification.category.rawValue
        content.userInfo = notification.reminder.userInfo
        content.sound = .default
        content.interruptionLevel = notification.timeSensitive ? .timeSensitive : .active
        let components = Calendar.current.dateComponents(
            in: TimeZone.current, from: notification.fireAt)
        let when = DateComponents(
            calendar: Calendar.current, timeZone: components.timeZone, year: components.year,
            month: components.month, day: components.day, hour: components.hour,
            minute: components.minute, second: components.second)
        let trigger = UNCalendarNotificationTrigger(dateMatching: when, repeats: false)
        return UNNotificationRequest(identifier: notification.id, content: content, trigger: trigger)
    }
}
