// Makes a CA and a server certificate, then runs a TLS 1.3 handshake between
// a client and a server in memory: the client verifies the chain and the
// host name, and they exchange a message.
import OpenSSLCore

func makeName(_ commonName: String) throws -> DistinguishedName {
    let name = try DistinguishedName()
    try name.setValue(Array("swift-pyopenssl example".utf8), for: DistinguishedName.attributeID("O")!)
    try name.setValue(Array(commonName.utf8), for: DistinguishedName.attributeID("CN")!)
    return name
}

func makeCertificate(subject: DistinguishedName, issuer: DistinguishedName, key: PrivateKey,
                     signer: PrivateKey, serial: String, extensions: [(String, String)]) throws -> Certificate {
    let certificate = try Certificate()
    try certificate.setVersion(2)
    try certificate.setSerialNumber(hex: serial)
    try certificate.setSubject(subject)
    try certificate.setIssuer(issuer)
    certificate.adjustNotBefore(secondsFromNow: -60)
    certificate.adjustNotAfter(secondsFromNow: 3600)
    try certificate.setPublicKey(key)
    for (name, value) in extensions { try certificate.addExtension(name, value: value) }
    try certificate.sign(with: signer, digest: "sha256")
    return certificate
}

/// Moves every byte one side wants to send into the other side's input.
func shuttle(from source: TLSConnection, to destination: TLSConnection) {
    var buffer = [UInt8](repeating: 0, count: 16 * 1024)
    while case .success(let count) = buffer.withUnsafeMutableBytes({ source.readFromNetworkOutput(into: $0) }) {
        _ = buffer.withUnsafeBytes { destination.writeToNetworkInput(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}

let caKey = try PrivateKey.generateEC(curve: "prime256v1")
let caName = try makeName("Example Root CA")
let ca = try makeCertificate(subject: caName, issuer: caName, key: caKey, signer: caKey, serial: "01",
                             extensions: [("basicConstraints", "critical,CA:TRUE"), ("keyUsage", "critical,keyCertSign")])
let serverKey = try PrivateKey.generateEC(curve: "prime256v1")
let serverCertificate = try makeCertificate(subject: try makeName("localhost"), issuer: caName,
                                            key: serverKey, signer: caKey, serial: "02",
                                            extensions: [("subjectAltName", "DNS:localhost")])

let serverContext = try TLSContext(method: .tlsServer)
try serverContext.useCertificate(serverCertificate)
try serverContext.usePrivateKey(serverKey)
try serverContext.checkPrivateKey()

let clientContext = try TLSContext(method: .tlsClient)
try clientContext.loadVerifyData(ca.pemBytes)
clientContext.setVerifyMode(.peer)
try clientContext.setMinimumProtocolVersion(.tls1_3)

let client = try TLSConnection(context: clientContext)
let server = try TLSConnection(context: serverContext)
client.setConnectState()
server.setAcceptState()
try client.setServerName("localhost")
try client.setVerifyHostname("localhost")

var finished = (client: false, server: false)
for _ in 0..<10 where !(finished.client && finished.server) {
    if case .success = client.doHandshake() { finished.client = true }
    shuttle(from: client, to: server)
    if case .success = server.doHandshake() { finished.server = true }
    shuttle(from: server, to: client)
}
guard finished.client && finished.server, client.verifyResult == 0 else {
    print("handshake failed: verify result \(client.verifyResult)")
    exit(1)
}

let message = Array("hello from Swift".utf8)
_ = message.withUnsafeBytes { client.write($0) }
shuttle(from: client, to: server)
var received = [UInt8](repeating: 0, count: 64)
let count = try received.withUnsafeMutableBytes { try server.read(into: $0).get() }

print("protocol:  \(client.protocolVersionName)")
print("cipher:    \(client.cipherName ?? "none")")
print("peer:      \(client.peerCertificate?.subjectOneLine ?? "none")")
print("verified:  yes (chain and host name)")
print("received:  \(String(decoding: received[0..<count], as: UTF8.self))")

#if canImport(Glibc)
import Glibc
#endif
