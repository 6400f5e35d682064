// swift-tools-version:6.0
import PackageDescription

// OpenSSLCore is the Swift library (no Python). OpenSSLPython is the CPython
// extension module `OpenSSL.SSL` (which also registers `OpenSSL.crypto`); the
// Python build backend builds it with `-static-stdlib` and installs it as
// `OpenSSL/SSL.abi3.so`.
let package = Package(
    name: "swift-pyopenssl",
    products: [
        .library(name: "OpenSSLCore", targets: ["OpenSSLCore"]),
        .library(name: "OpenSSLPython", type: .dynamic, targets: ["OpenSSLPython"]),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .systemLibrary(
            name: "CPython",
            pkgConfig: "python3",
            providers: [.apt(["python3-dev"])]
        ),
        .target(
            name: "OpenSSLCore",
            dependencies: ["COpenSSL"]
        ),
        .target(
            name: "OpenSSLPython",
            dependencies: ["OpenSSLCore", "CPython"]
        ),
        .testTarget(
            name: "OpenSSLCoreTests",
            dependencies: ["OpenSSLCore"]
        ),
    ]
)
