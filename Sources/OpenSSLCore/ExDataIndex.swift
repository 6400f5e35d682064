/// The ex_data slots that lead from OpenSSL's objects back to their Swift owners.
enum ExDataIndex {
    /// OpenSSL's "app data" slot (`SSL_set_app_data`), index 0: it exists
    /// without registration, and our SSL objects never leave this package, so
    /// nothing else writes it. A registered index would cost every
    /// Connection two stack pushes when set and a sort of the registered
    /// indexes when freed (~500 instructions).
    static let connection: Int32 = 0
}
