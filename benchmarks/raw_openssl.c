/*
 * The floor for any wrapper: the benchmark workloads of workloads.py done
 * with raw OpenSSL (the system library) over memory BIOs, in one process.
 *
 *   raw_openssl CERTDIR bench BUDGET_SECONDS WORKLOAD[,WORKLOAD...]
 *   raw_openssl CERTDIR fixed WORKLOAD ITERATIONS      (for callgrind)
 *   raw_openssl CERTDIR memory PAIRS
 *
 * Prints one JSON object on stdout. Build:
 *   cc -O2 -o raw_openssl raw_openssl.c $(pkg-config --cflags --libs openssl)
 */
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BIO_CHUNK 65536
#define BULK_SIZE 16384
#define PING_SIZE 64

static const char *certdir;
static unsigned char transfer[BIO_CHUNK];
static unsigned char payload[BULK_SIZE];
static unsigned char incoming[BULK_SIZE];
static volatile long sink;

static void die(const char *what)
{
    fprintf(stderr, "raw_openssl: %s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *cert_path(const char *name)
{
    static char paths[4][512];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, sizeof paths[0], "%s/%s", certdir, name);
    return path;
}

/* ---- contexts: the same settings the Python workers make ---- */

static SSL_CTX *new_context(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    if (ctx == NULL)
        die("SSL_CTX_new");
    /* pyOpenSSL's Context() sets these two modes; so does ours. */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (!SSL_CTX_set1_groups_list(ctx, "P-256"))
        die("SSL_CTX_set1_groups_list");
    return ctx;
}

static SSL_CTX *server_context(const char *kind)
{
    char cert[64], key[64];
    SSL_CTX *ctx = new_context();
    snprintf(cert, sizeof cert, "%s.pem", kind);
    snprintf(key, sizeof key, "%s.key", kind);
    if (!SSL_CTX_use_certificate_chain_file(ctx, cert_path(cert)))
        die("use_certificate_chain_file");
    if (!SSL_CTX_use_PrivateKey_file(ctx, cert_path(key), SSL_FILETYPE_PEM))
        die("use_PrivateKey_file");
    return ctx;
}

static SSL_CTX *client_context(int tls12)
{
    SSL_CTX *ctx = new_context();
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (!SSL_CTX_load_verify_locations(ctx, cert_path("ca.pem"), NULL))
        die("load_verify_locations");
    if (tls12) {
        SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
        if (!SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256"))
            die("set_cipher_list");
    }
    return ctx;
}

/* ---- a client/server pair joined by memory BIOs ---- */

typedef struct {
    SSL *client, *server;
} pair_t;

static SSL *new_connection(SSL_CTX *ctx, int server)
{
    SSL *ssl = SSL_new(ctx);
    BIO *into = BIO_new(BIO_s_mem()), *from = BIO_new(BIO_s_mem());
    if (ssl == NULL || into == NULL || from == NULL)
        die("SSL_new");
    SSL_set_bio(ssl, into, from);
    if (server)
        SSL_set_accept_state(ssl);
    else
        SSL_set_connect_state(ssl);
    return ssl;
}

/* Moves every byte src has written to the network into dst. */
static void move(SSL *src, SSL *dst)
{
    for (;;) {
        int n = BIO_read(SSL_get_wbio(src), transfer, BIO_CHUNK);
        if (n <= 0)
            return;
        BIO_write(SSL_get_rbio(dst), transfer, n);
        if (n < BIO_CHUNK)
            return;
    }
}

static int step(SSL *ssl)
{
    int r = SSL_do_handshake(ssl);
    if (r == 1)
        return 1;
    if (SSL_get_error(ssl, r) != SSL_ERROR_WANT_READ)
        die("SSL_do_handshake");
    return 0;
}

static void handshake(pair_t *p)
{
    int client_done = 0, server_done = 0;
    for (int round = 0; !(client_done && server_done); round++) {
        if (round > 20)
            die("handshake (no progress)");
        if (!client_done)
            client_done = step(p->client);
        move(p->client, p->server);
        if (!server_done)
            server_done = step(p->server);
        move(p->server, p->client);
    }
}

static pair_t new_pair(SSL_CTX *client_ctx, SSL_CTX *server_ctx, SSL_SESSION *session)
{
    pair_t p = {new_connection(client_ctx, 0), new_connection(server_ctx, 1)};
    if (session != NULL && !SSL_set_session(p.client, session))
        die("SSL_set_session");
    handshake(&p);
    return p;
}

static void free_pair(pair_t *p)
{
    SSL_free(p->client);
    SSL_free(p->server);
}

static void write_all(SSL *ssl, const unsigned char *data, int size)
{
    if (SSL_write(ssl, data, size) != size)
        die("SSL_write");
}

static void read_exactly(SSL *ssl, unsigned char *buffer, int size)
{
    for (int got = 0; got < size;) {
        int n = SSL_read(ssl, buffer + got, size - got);
        if (n <= 0)
            die("SSL_read");
        got += n;
    }
}

/* ---- workloads: each does `iterations` operations ---- */

typedef struct {
    SSL_CTX *client13, *client12, *server_ec, *server_rsa;
    SSL_SESSION *session12;
    pair_t live; /* a handshaken TLS 1.3 ECDSA pair */
} state_t;

static state_t st;

static void full_handshakes(SSL_CTX *client, SSL_CTX *server, long iterations)
{
    for (long i = 0; i < iterations; i++) {
        pair_t p = new_pair(client, server, NULL);
        free_pair(&p);
    }
}

static void w_hs13_ecdsa(long n) { full_handshakes(st.client13, st.server_ec, n); }
static void w_hs13_rsa(long n) { full_handshakes(st.client13, st.server_rsa, n); }
static void w_hs12_ecdsa(long n) { full_handshakes(st.client12, st.server_ec, n); }

/* Freeing a client that has not sent close_notify marks its session as not
 * resumable, so a resuming client says goodbye first (one SSL_shutdown call). */
static void close_client(SSL *client)
{
    if (SSL_shutdown(client) < 0)
        die("SSL_shutdown");
}

static void w_resume12(long n)
{
    for (long i = 0; i < n; i++) {
        pair_t p = new_pair(st.client12, st.server_ec, st.session12);
        close_client(p.client);
        free_pair(&p);
    }
}

static void w_pingpong(long n)
{
    unsigned char buffer[PING_SIZE];
    for (long i = 0; i < n; i++) {
        write_all(st.live.client, payload, PING_SIZE);
        move(st.live.client, st.live.server);
        read_exactly(st.live.server, buffer, PING_SIZE);
        write_all(st.live.server, buffer, PING_SIZE);
        move(st.live.server, st.live.client);
        read_exactly(st.live.client, buffer, PING_SIZE);
    }
}

static void w_bulk(long n)
{
    for (long i = 0; i < n; i++) {
        write_all(st.live.client, payload, BULK_SIZE);
        move(st.live.client, st.live.server);
        read_exactly(st.live.server, incoming, BULK_SIZE);
    }
}

static void w_pending(long n)
{
    long total = 0;
    for (long i = 0; i < n; i++)
        total += SSL_pending(st.live.client);
    sink = total;
}

static void w_verify_mode(long n)
{
    long total = 0;
    for (long i = 0; i < n; i++)
        total += SSL_CTX_get_verify_mode(st.client13);
    sink = total;
}

static void w_create(long n)
{
    for (long i = 0; i < n; i++)
        SSL_free(new_connection(st.client13, 0));
}

typedef struct {
    const char *name;
    void (*run)(long);
} workload_t;

static const workload_t workloads[] = {
    {"hs13_ecdsa", w_hs13_ecdsa}, {"hs13_rsa", w_hs13_rsa},   {"hs12_ecdsa", w_hs12_ecdsa},
    {"resume12", w_resume12},     {"pingpong", w_pingpong},   {"bulk", w_bulk},
    {"pending", w_pending},       {"verify_mode", w_verify_mode}, {"create", w_create},
};

static const workload_t *find_workload(const char *name)
{
    for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; i++)
        if (strcmp(workloads[i].name, name) == 0)
            return &workloads[i];
    fprintf(stderr, "raw_openssl: unknown workload %s\n", name);
    exit(2);
}

#define SLICES 3 /* a round's figure is the best of this many slices of its budget */

/* Seconds per operation: warm up, then the best of SLICES timed slices, each
 * running growing batches for budget / SLICES seconds. */
static double measure(const workload_t *w, double budget)
{
    double best = 1e30, slice = budget / SLICES;
    w->run(3);
    for (int s = 0; s < SLICES; s++) {
        long done = 0, batch = 1;
        double start = now(), elapsed = 0;
        while (elapsed < slice) {
            w->run(batch);
            done += batch;
            elapsed = now() - start;
            batch = (long)((slice - elapsed) / (elapsed / done)) + 1;
            if (batch > done)
                batch = done; /* at most double, so the clock is read often enough */
        }
        if (elapsed / done < best)
            best = elapsed / done;
    }
    return best;
}

static const char *group_name(SSL *ssl)
{
    int nid = SSL_get_negotiated_group(ssl);
    return nid > 0 ? OBJ_nid2sn(nid) : "?";
}

/* "TLSv1.3 TLS_AES_256_GCM_SHA384 prime256v1" for the first handshake of a workload. */
static void print_check(const char *name, SSL_CTX *client, SSL_CTX *server, SSL_SESSION *session)
{
    pair_t p = new_pair(client, server, session);
    close_client(p.client);
    printf("\"%s\": \"%s %s %s%s\"", name, SSL_get_version(p.client),
           SSL_CIPHER_get_name(SSL_get_current_cipher(p.client)), group_name(p.client),
           SSL_session_reused(p.client) ? " resumed" : "");
    free_pair(&p);
}

static long rss_bytes(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL || fscanf(f, "%ld %ld", &pages, &resident) != 2)
        die("reading /proc/self/statm");
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

static void setup(void)
{
    st.client13 = client_context(0);
    st.client12 = client_context(1);
    st.server_ec = server_context("ec");
    st.server_rsa = server_context("rsa");
    pair_t first = new_pair(st.client12, st.server_ec, NULL);
    st.session12 = SSL_get1_session(first.client);
    close_client(first.client);
    free_pair(&first);
    st.live = new_pair(st.client13, st.server_ec, NULL);
    memset(payload, 'x', sizeof payload);
}

static void print_header(void)
{
    printf("{\"impl\": \"raw C\", \"openssl\": \"%s\", \"module\": \"libssl\"", OpenSSL_version(OPENSSL_VERSION));
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: raw_openssl CERTDIR bench|fixed|memory ARGS\n");
        return 2;
    }
    certdir = argv[1];
    const char *mode = argv[2];
    setup();
    print_header();
    if (strcmp(mode, "bench") == 0 && argc == 5) {
        double budget = atof(argv[3]);
        printf(", \"results\": {");
        char *names = strdup(argv[4]);
        const char *sep = "";
        for (char *name = strtok(names, ","); name != NULL; name = strtok(NULL, ",")) {
            printf("%s\"%s\": %.6e", sep, name, measure(find_workload(name), budget));
            sep = ", ";
            fflush(stdout);
        }
        printf("}, \"checks\": {");
        print_check("hs13_ecdsa", st.client13, st.server_ec, NULL);
        printf(", ");
        print_check("hs13_rsa", st.client13, st.server_rsa, NULL);
        printf(", ");
        print_check("hs12_ecdsa", st.client12, st.server_ec, NULL);
        printf(", ");
        print_check("resume12", st.client12, st.server_ec, st.session12);
        printf("}");
        free(names);
    } else if (strcmp(mode, "fixed") == 0 && argc == 5) {
        find_workload(argv[3])->run(atol(argv[4]));
    } else if (strcmp(mode, "memory") == 0) {
        long count = atol(argv[3]);
        pair_t *pairs = calloc(count, sizeof *pairs);
        char buffer[1];
        long before = rss_bytes();
        for (long i = 0; i < count; i++) {
            pairs[i] = new_pair(st.client13, st.server_ec, NULL);
            /* Let the client take in the session tickets: the pair is idle. */
            if (SSL_read(pairs[i].client, buffer, 1) > 0)
                die("SSL_read (idle)");
            ERR_clear_error();
        }
        printf(", \"bytes_per_pair\": %.1f", (double)(rss_bytes() - before) / count);
        for (long i = 0; i < count; i++)
            free_pair(&pairs[i]);
        free(pairs);
    } else {
        fprintf(stderr, "raw_openssl: bad arguments\n");
        return 2;
    }
    printf("}\n");
    return 0;
}
