// Observation on Debian 13's swiftlang 6.0.3 references
// swift::threading::fatal(const char *, ...) but no runtime library there
// defines it (a packaging gap; swiftlang 6.2 does not need this). The test
// binary gets this definition: report the message and abort, as the runtime's
// own does. Linked on Linux only (Package.swift); never part of the app.
#if defined(__linux__)
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void _ZN5swift9threading5fatalEPKcz(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    abort();
}
#endif
