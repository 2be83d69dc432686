#!/usr/bin/env bash
# Builds and tests the iOS app on a Mac: the XCFramework
# (ios/build-xcframework.sh), the SteadyCore package's XCTest suites on the
# simulator (the same SteadyShell and scenario tests Linux runs), the Xcode project from
# ios/SteadyApp/project.yml with XcodeGen, then `xcodebuild test` of the app
# and its UI tests on an iOS simulator. Everywhere else it prints why it is
# skipped and exits 0: there is no Xcode, iOS SDK or simulator off a Mac.
#
#   ios/test-on-mac.sh [SIMULATOR_NAME]     (default "iPhone 15")
# Needs Xcode 15.3+ (iOS 17 SDK; iOS 18 for the Control Center control),
# xcodegen (`brew install xcodegen`) and the Rust iOS targets
# (`rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

if [ "$(uname -s)" != Darwin ]; then
  echo "ios: skipped: the iOS app builds only on macOS with Xcode (this is $(uname -s));"
  echo "     here scripts/test-ios-shell.sh tests SteadyShell and the shared scenarios,"
  echo "     and scripts/check-parse.sh parses every SwiftUI and adapter file."
  exit 0
fi
for tool in xcodebuild xcodegen cargo; do
  if ! command -v "$tool" >/dev/null; then
    echo "ios: skipped: $tool is not installed (see docs/ios.md)"
    exit 0
  fi
done

SIMULATOR="${1:-iPhone 15}"
ios/build-xcframework.sh

# The package's own suites (SteadyShell and the shared scenarios included) on
# the simulator, against the XCFramework; TEST_RUNNER_ passes the variables on.
(cd ios/SteadyCore && TEST_RUNNER_STEADY_SCENARIOS="$ROOT/tests/scenarios/scenarios.json" \
  TEST_RUNNER_STEADY_SCENARIO_RESULTS="$ROOT/build/scenario-results/ios-simulator.json" \
  xcodebuild test -scheme SteadyCore-Package -destination "platform=iOS Simulator,name=$SIMULATOR")

cd ios/SteadyApp
xcodegen generate --spec project.yml
xcodebuild test \
  -project Steady.xcodeproj -scheme Steady \
  -destination "platform=iOS Simulator,name=$SIMULATOR" \
  -resultBundlePath "$ROOT/build/ios-test.xcresult" \
  CODE_SIGNING_ALLOWED=NO
