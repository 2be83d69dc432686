// Nothing to import: the target only adds one symbol to the Linux test link
// (see fatal.c).
