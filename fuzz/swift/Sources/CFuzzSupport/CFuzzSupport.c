#include "CFuzzSupport.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

// libcrypto (linked through OpenSSLCore); declared here so that this target
// needs no OpenSSL headers.
unsigned long ERR_peek_error(void);
void ERR_clear_error(void);
void ERR_error_string_n(unsigned long e, char *buf, size_t len);

#define FUZZ_FEEDBACK_SLOTS 4096

// libFuzzer treats every byte of this section as a coverage counter.
__attribute__((section("__libfuzzer_extra_counters"), used))
static uint8_t feedback_counters[FUZZ_FEEDBACK_SLOTS];

static uint8_t *mirror;
static size_t mirror_capacity;
static int check_err_queue;

void fuzz_support_init(void) {
    const char *check = getenv("FUZZ_CHECK_ERR_QUEUE");
    check_err_queue = check != NULL && strcmp(check, "1") == 0;
    const char *path = getenv("FUZZ_CURRENT_INPUT");
    if (path == NULL || *path == '\0' || mirror != NULL) return;
    size_t capacity = 8 + (1u << 20);  // inputs are at most -max_len (16 KiB) anyway
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    if (fd < 0) return;
    if (ftruncate(fd, (off_t)capacity) == 0) {
        void *map = mmap(NULL, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (map != MAP_FAILED) {
            mirror = map;
            mirror_capacity = capacity;
        }
    }
    close(fd);
}

void fuzz_mirror_input(const uint8_t *data, size_t size) {
    if (mirror == NULL) return;
    if (size > mirror_capacity - 8) size = mirror_capacity - 8;
    uint64_t length = size;
    for (int i = 0; i < 8; i++) mirror[i] = (uint8_t)(length >> (8 * i));
    if (size) memcpy(mirror + 8, data, size);
}

void fuzz_feedback(uint32_t hash) {
    uint8_t *slot = &feedback_counters[hash % FUZZ_FEEDBACK_SLOTS];
    if (*slot != 0xFF) (*slot)++;
}

int fuzz_check_err_queue(void) { return check_err_queue; }

int fuzz_take_err_queue(char *buffer, size_t length) {
    unsigned long code = ERR_peek_error();
    if (code == 0) return 0;
    if (length) ERR_error_string_n(code, buffer, length);
    ERR_clear_error();
    return 1;
}

const char *fuzz_getenv(const char *name) { return getenv(name); }

int fuzz_write_file(const char *path, const uint8_t *data, size_t size) {
    FILE *file = fopen(path, "wb");
    if (file == NULL) return -1;
    size_t written = size ? fwrite(data, 1, size, file) : 0;
    int closed = fclose(file);
    return (written == size && closed == 0) ? 0 : -1;
}

void fuzz_print(const char *text) {
    fputs(text, stderr);
    fflush(stderr);
}

void fuzz_exit(int status) { _exit(status); }
