// Settings: notification text (discreet by default; the core shows an
// example of each), reminder leads and quiet hours, and the discretion
// switches: app lock, quick log widget and control, quick actions, the
// neutral icon, time-sensitive reminders. All off until the patient turns
// them on.
import SteadyCore
import SteadyShell
import SwiftUI
import UIKit

struct SettingsView: View {
    let model: SettingsModel
    let crisis: CrisisModel

    var body: some View {
        ScreenBody(state: model.screen) { settings in
            Form {
                Section("Notification text") {
                    ForEach(settings.notificationTextChoices, id: \.label.key) { choice in
                        Button {
                            var reminders = settings.reminders
                            reminders.detailedText = choice.value == .detailed
                            Task { await model.setReminders(reminders) }
                        } label: {
                            VStack(alignment: .leading) {
                                Text(words(choice.label)).font(.headline)
                                Text("\(choice.exampleTitle) — \(choice.exampleBody)").font(.footnote)
                            }
                        }
                        .accessibilityAddTraits(choice.value == settings.notificationText ? .isSelected : [])
                    }
                }
                if model.showsLateReminderGuidance {
                    Section("Some reminders arrived late") {
                        Text("iOS may hold notifications back in Low Power Mode, during a Focus, or when Steady's notifications are set to be delivered in a summary. Check Steady in Settings › Notifications, and allow time-sensitive reminders below.")
                        Button("Open notification settings") {
                            if let url = URL(string: UIApplication.openNotificationSettingsURLString) {
                                UIApplication.shared.open(url)
                            }
                        }
                    }
                }
                Section("Reminders") {
                    Stepper("Dose follow-up after \(settings.doseFollowupMinutes) min", value: Binding(
                        get: { Int(settings.doseFollowupMinutes) },
                        set: { minutes in
                            var reminders = settings.reminders
                            reminders.doseFollowupMinutes = UInt32(minutes)
                            Task { await model.setReminders(reminders) }
                        }), in: 0...240, step: 15)
                    Text("Check-in prompt: \(settings.checkinTime ?? "off")")
                    Text("Quiet hours: \(settings.quietStart ?? "–")–\(settings.quietEnd ?? "–")")
                }
                Section("Discretion") {
                    DiscretionToggle(title: "Lock with Face ID or passcode", model: model, keyPath: \.appLock)
                    DiscretionToggle(title: "Quick log on the Home Screen and Control Center", model: model, keyPath: \.quickLogControls)
                    DiscretionToggle(title: "Quick actions on the app icon", model: model, keyPath: \.quickActions)
                    DiscretionToggle(title: "Neutral app icon", model: model, keyPath: \.neutralIcon)
                    DiscretionToggle(title: "Session and dose reminders break through Focus", model: model, keyPath: \.timeSensitiveReminders)
                }
                ProblemBanner(problem: model.problem)
            }
        }
        .navigationTitle("Settings")
        .steadyChrome(crisis)
        .onChange(of: model.discretion) { _, discretion in
            Task {
                await AppIcon.apply(neutral: discretion.neutralIcon)
                QuickAction.install(enabled: discretion.quickActions)
            }
        }
    }
}

private struct DiscretionToggle: View {
    let title: String
    let model: SettingsModel
    let keyPath: WritableKeyPath<Discretion, Bool>

    var body: some View {
        Toggle(title, isOn: Binding(
            get: { model.discretion[keyPath: keyPath] },
            set: { on in
                var discretion = model.discretion
                discretion[keyPath: keyPath] = on
                Task { await model.setDiscretion(discretion) }
            }))
    }
}
