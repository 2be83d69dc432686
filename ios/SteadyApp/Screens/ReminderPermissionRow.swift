// Asks for notification permission in context, on Today, with what it is
// for; when denied, says what the patient will miss and links to Settings.
import SwiftUI
import UIKit
import UserNotifications

struct ReminderPermissionRow: View {
    @State private var status: UNAuthorizationStatus = .authorized

    var body: some View {
        Group {
            switch status {
            case .notDetermined:
                VStack(alignment: .leading, spacing: 8) {
                    Text("Reminders for sessions, doses and check-ins need your permission. Their text stays neutral on the lock screen.")
                    Button("Allow reminders") {
                        Task {
                            _ = try? await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound, .badge])
                            await readStatus()
                        }
                    }
                }
            case .denied:
                VStack(alignment: .leading, spacing: 8) {
                    Text("Reminders are off: Steady cannot remind you of sessions, doses or check-ins.")
                    Button("Open Settings") {
                        if let url = URL(string: UIApplication.openSettingsURLString) { UIApplication.shared.open(url) }
                    }
                }
            default:
                EmptyView()
            }
        }
        .task { await readStatus() }
    }

    private func readStatus() async {
        status = await UNUserNotificationCenter.current().notificationSettings().authorizationStatus
    }
}
