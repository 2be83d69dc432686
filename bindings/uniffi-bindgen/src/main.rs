//! The bindgen binary, built from the same pinned UniFFI as the library it reads.
fn main() {
    uniffi::uniffi_bindgen_main()
}
