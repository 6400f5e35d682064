// Small C helpers for the libFuzzer harnesses (see FuzzSupport.swift).
#ifndef CFUZZSUPPORT_H
#define CFUZZSUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// Reads FUZZ_CURRENT_INPUT and FUZZ_CHECK_ERR_QUEUE from the environment.
void fuzz_support_init(void);

/// Copies the input about to run into the file named by FUZZ_CURRENT_INPUT
/// (memory-mapped: 8-byte little-endian length, then the bytes), so that
/// fuzz/run.py can keep it if the process dies without libFuzzer writing it.
void fuzz_mirror_input(const uint8_t *data, size_t size);

/// Counts one hit of `hash % FUZZ_FEEDBACK_SLOTS` in libFuzzer's extra
/// counters: each outcome of uninstrumented OpenSSL (error reason, handshake
/// state, alert) then shows up as coverage.
void fuzz_feedback(uint32_t hash);

/// Whether FUZZ_CHECK_ERR_QUEUE=1.
int fuzz_check_err_queue(void);

/// If OpenSSL's error queue (this thread) is not empty: writes the first
/// entry's text into `buffer`, empties the queue and returns 1; else 0.
int fuzz_take_err_queue(char *buffer, size_t length);

/// getenv, for Swift code that imports no libc module.
const char *fuzz_getenv(const char *name);

/// Writes `size` bytes to `path` (created or truncated); 0 on success.
int fuzz_write_file(const char *path, const uint8_t *data, size_t size);

/// Writes `text` to stderr and flushes it.
void fuzz_print(const char *text);

/// Exits the process at once with `status` (no atexit handlers).
void fuzz_exit(int status) __attribute__((noreturn));

#endif
