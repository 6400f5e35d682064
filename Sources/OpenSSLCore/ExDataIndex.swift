@_implementationOnly import COpenSSL

/// The ex_data slots that lead from OpenSSL's objects back to their Swift owners.
enum ExDataIndex {
    static let connection: Int32 = shim_SSL_get_ex_new_index()
}
