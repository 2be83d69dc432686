//! Link settings for the phone library (the `cdylib` only).
//!
//! A release library packs its relative relocations: most of them point into
//! tables of `&'static str` and vtables, and in the classic format each costs
//! 24 bytes in `.rela.dyn` (about 300 KB of the 4 MB budget, issue 16). The
//! loaders that run Steady all read a packed form: Android's since API 23
//! (`--pack-dyn-relocs=android`; minSdk is 26), glibc's `DT_RELR` since 2.36
//! (the x86-64 build `scripts/measure-size.sh` measures). iOS links the static
//! library into the app, where Apple's linker uses chained fixups anyway.
//! Debug builds, which the Kotlin and Swift suites load on any Linux, are left
//! as they are.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("PROFILE").as_deref() != Ok("release") {
        return;
    }
    match std::env::var("CARGO_CFG_TARGET_OS").as_deref() {
        Ok("android") => println!("cargo:rustc-cdylib-link-arg=-Wl,--pack-dyn-relocs=android"),
        Ok("linux") => println!("cargo:rustc-cdylib-link-arg=-Wl,-z,pack-relative-relocs"),
        _ => {}
    }
}
