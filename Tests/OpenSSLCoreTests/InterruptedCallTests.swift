import Glibc
import OpenSSLCore
import Synchronization
import Testing

/// OpenSSL's socket BIO reports a read that a signal interrupted (EINTR) as
/// "retry", so a blocking socket's call comes back `.wantRead`;
/// `interruptedBySignal` tells that apart from a socket with nothing to read
/// (the Python bridge makes the call again on the first, PEP 475 style).
@Suite(.serialized) struct InterruptedCallTests {
    @Test func signalDuringBlockingHandshakeIsReportedAsInterrupted() throws {
        let (mine, peer) = try socketPair()
        defer { close(mine); close(peer) }
        setReceiveTimeout(mine, seconds: 3)  // a watchdog: EAGAIN, not a hang
        let previous = installNoOpHandler(SIGUSR1)
        defer { _ = sigaction(SIGUSR1, [previous], nil) }
        // The test runner's threads may block signals; this one must take it.
        var unblocked = sigset_t(), saved = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }

        let client = try TLSConnection(context: TLSContext(method: .tlsClient), transport: .fileDescriptor(mine))
        client.setConnectState()
        // Signals this thread until the call returns: one may land before
        // the read blocks, the next one interrupts it.
        let sender = SignalSender(target: pthread_self(), signal: SIGUSR1)
        let started = ContinuousClock.now
        let result = client.doHandshake()  // the peer never answers
        sender.finish()

        #expect(isWantRead(result))
        #expect(client.interruptedBySignal)
        #expect(ContinuousClock.now - started < .seconds(2), "ended by the watchdog, not a signal")
    }

    @Test func nonBlockingSocketWithNothingToReadIsNotInterrupted() throws {
        let (mine, peer) = try socketPair()
        defer { close(mine); close(peer) }
        _ = fcntl(mine, F_SETFL, fcntl(mine, F_GETFL) | O_NONBLOCK)
        let client = try TLSConnection(context: TLSContext(method: .tlsClient), transport: .fileDescriptor(mine))
        client.setConnectState()
        #expect(isWantRead(client.doHandshake()))
        #expect(!client.interruptedBySignal)
    }
}

/// A thread that sends `signal` to `target` every 10 ms until `finish`.
private final class SignalSender: @unchecked Sendable {
    let target: pthread_t
    let signal: Int32
    private let stop = Atomic<Bool>(false)
    private var thread = pthread_t()

    init(target: pthread_t, signal: Int32) {
        self.target = target
        self.signal = signal
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { raw in
            let sender = Unmanaged<SignalSender>.fromOpaque(raw!).takeRetainedValue()
            while !sender.stop.load(ordering: .acquiring) {
                pthread_kill(sender.target, sender.signal)
                usleep(10_000)
            }
            return nil
        }, context)
    }

    func finish() {
        stop.store(true, ordering: .releasing)
        pthread_join(thread, nil)
    }
}

private func isWantRead(_ result: Result<Void, TLSIOError>) -> Bool {
    if case .failure(.wantRead) = result { return true }
    return false
}

private func socketPair() throws -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
    return (fds[0], fds[1])
}

private func setReceiveTimeout(_ fd: Int32, seconds: Int) {
    var timeout = timeval(tv_sec: seconds, tv_usec: 0)
    _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
}

/// A handler that does nothing, installed without SA_RESTART (as Python
/// installs its handlers), so a blocked read returns EINTR.
private func installNoOpHandler(_ signal: Int32) -> sigaction {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    var previous = sigaction()
    _ = sigaction(signal, &action, &previous)
    return previous
}
