// The tabs (Today, Check-ins, Schedule, Progress, More) over the shell's
// models; the crisis card raised over every screen when a record calls for
// it; the quick log and crisis card opened from outside (notification action,
// widget, control, quick action).
import SteadyCore
import SteadyShell
import SwiftUI

struct RootView: View {
    let screens: ScreenModels
    @Bindable var router: Router

    var body: some View {
        TabView(selection: $router.tab) {
            NavigationStack { TodayView(model: screens.today, crisis: screens.crisis, router: router) }
                .tabItem { SwiftUI.Label("Today", systemImage: "sun.max") }.tag(Tab.today)
            NavigationStack { CheckinsView(model: screens.checkins, crisis: screens.crisis) }
                .tabItem { SwiftUI.Label("Check-ins", systemImage: "checklist") }.tag(Tab.checkins)
            NavigationStack { ScheduleWeekView(model: screens.schedule, crisis: screens.crisis) }
                .tabItem { SwiftUI.Label("Schedule", systemImage: "calendar") }.tag(Tab.schedule)
            NavigationStack { ProgressScreenView(model: screens.progress, crisis: screens.crisis) }
                .tabItem { SwiftUI.Label("Progress", systemImage: "chart.xyaxis.line") }.tag(Tab.progress)
            NavigationStack { MoreView(screens: screens, router: router) }
                .tabItem { SwiftUI.Label("More", systemImage: "ellipsis.circle") }.tag(Tab.more)
        }
        .sheet(item: Binding(get: { screens.crisis.raised.map(RaisedCard.init) }, set: { if $0 == nil { screens.crisis.dismissRaised() } })) { raised in
            CrisisCardView(card: raised.card, notice: raised.card.clinicNotice)
        }
        .sheet(isPresented: Binding(get: { router.destination == .quickLog }, set: { if !$0 { router.destination = nil } })) {
            NavigationStack { CravingLogView(model: screens.craving, crisis: screens.crisis) }
        }
        .sheet(isPresented: Binding(get: { router.destination == .crisis }, set: { if !$0 { router.destination = nil } })) {
            CrisisCardView(card: router.raisedCard ?? screens.crisis.card, notice: router.raisedCard?.clinicNotice)
        }
    }
}

private struct RaisedCard: Identifiable {
    let card: CrisisCard
    var id: String { card.lines.map(\.call).joined() + (card.clinicNotice ?? "") }
}

struct MoreView: View {
    let screens: ScreenModels
    let router: Router

    var body: some View {
        List {
            NavigationLink("Doses") { DosesView(model: screens.doses, crisis: screens.crisis) }
            NavigationLink("Coping plan") { CopingPlanView(model: screens.coping, crisis: screens.crisis) }
            NavigationLink("Help now") { CrisisCardView(card: screens.crisis.card, notice: nil) }
            NavigationLink("Clinic") { ClinicView(model: screens.clinic, crisis: screens.crisis, router: router) }
            NavigationLink("Settings") { SettingsView(model: screens.settings, crisis: screens.crisis) }
        }
        .navigationTitle("More")
        .steadyChrome(screens.crisis)
    }
}
