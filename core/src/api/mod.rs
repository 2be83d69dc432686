//! The public API floor: `impl Steady` code that reaches across domain
//! modules. Domain modules still carry their own `impl Steady` blocks (each a
//! few lines over their functions); what must sit above all of them, like
//! opening a database, lives here (docs/adr/0005-one-way-modules.md).

mod open;
