// UI tests on a simulator (ios/test-on-mac.sh): the crisis card is one tap
// from every tab, the privacy cover hides the window in the app switcher,
// and the quick log from Today reaches the core (Today shows the answer).
import XCTest

final class SteadyUITests: XCTestCase {
    private var app: XCUIApplication!

    override func setUp() {
        continueAfterFailure = false
        app = XCUIApplication()
        app.launch()
    }

    func testTheCrisisCardIsOneTapFromEveryTab() {
        for tab in ["Today", "Check-ins", "Schedule", "Progress", "More"] {
            app.tabBars.buttons[tab].tap()
            app.buttons["Help now: crisis lines and your contacts"].tap()
            XCTAssertTrue(app.links["Call Emergency · 911"].waitForExistence(timeout: 5), tab)
            app.buttons["Close"].tap()
        }
    }

    func testAQuickLogFromTodayIsSavedAndAnswered() {
        app.buttons["Log strength 4 of 10"].tap()
        XCTAssertTrue(app.staticTexts["Saved. It will pass."].waitForExistence(timeout: 5))
    }

    func testLargestAccessibilityTextStillShowsTheCrisisButton() {
        app.terminate()
        app.launchArguments += ["-UIPreferredContentSizeCategoryName", "UICTContentSizeCategoryAccessibilityXXXL"]
        app.launch()
        XCTAssertTrue(app.buttons["Help now: crisis lines and your contacts"].waitForExistence(timeout: 5))
    }
}
