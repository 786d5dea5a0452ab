internal import CLDAP

#if canImport(Glibc)
internal import Glibc
#endif

extension LDAPConnection {
    /// Adds an entry (RFC 4511 §4.7).
    ///
    /// ```swift
    /// try admin.add("uid=an,ou=hue,dc=gatehouse,dc=test", attributes: [
    ///     LDAPAttribute("objectClass", ["inetOrgPerson"]),
    ///     LDAPAttribute("uid", ["an"]), LDAPAttribute("cn", ["Nguyễn Văn An"]), LDAPAttribute("sn", ["Nguyễn"]),
    /// ])
    /// ```
    public func add(_ dn: String, attributes: [LDAPAttribute]) throws(LDAPError) {
        try update("add", LDAP_MOD_ADD, attributes) { mods in ldap_add_ext_s(handle, dn, mods, nil, nil) }
    }

    /// Replaces the values of each of `attributes` on the entry `dn` (RFC 4511 §4.6); an
    /// attribute given with no values is removed.
    public func modify(_ dn: String, replacing attributes: [LDAPAttribute]) throws(LDAPError) {
        try update("modify", LDAP_MOD_REPLACE, attributes) { mods in ldap_modify_ext_s(handle, dn, mods, nil, nil) }
    }

    /// Deletes the entry `dn`, which must have no entries below it (RFC 4511 §4.8).
    public func delete(_ dn: String) throws(LDAPError) {
        lock.lock()
        defer { lock.unlock() }
        let rc = ldap_delete_ext_s(handle, dn, nil, nil)
        guard rc == LDAP_SUCCESS else { throw failure(rc, "delete") }
    }

    /// Renames the entry `dn` to `newRDN`, below `newSuperior` when given (a move), removing
    /// the old RDN's value (RFC 4511 §4.9 Modify DN).
    ///
    /// ```swift
    /// try admin.rename("uid=an,ou=hue,dc=gatehouse,dc=test", newRDN: "uid=an", newSuperior: "ou=ha-noi,dc=gatehouse,dc=test")
    /// ```
    public func rename(_ dn: String, newRDN: String, newSuperior: String? = nil) throws(LDAPError) {
        lock.lock()
        defer { lock.unlock() }
        let rc = ldap_rename_s(handle, dn, newRDN, newSuperior, 1, nil, nil)
        guard rc == LDAP_SUCCESS else { throw failure(rc, "rename") }
    }

    private func update(
        _ operation: String, _ kind: Int32, _ attributes: [LDAPAttribute],
        _ call: (UnsafeMutablePointer<UnsafeMutablePointer<LDAPMod>?>) -> Int32
    ) throws(LDAPError) {
        lock.lock()
        defer { lock.unlock() }
        let mods = Self.makeMods(operation: kind, attributes)
        defer { Self.freeMods(mods) }
        let rc = call(mods)
        guard rc == LDAP_SUCCESS else { throw failure(rc, operation) }
    }

    /// A NULL-terminated `LDAPMod *[]` with binary values, allocated with malloc; free with
    /// `freeMods`.
    private static func makeMods(
        operation: Int32, _ attributes: [LDAPAttribute]
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<LDAPMod>?> {
        let mods = UnsafeMutablePointer<UnsafeMutablePointer<LDAPMod>?>.allocate(capacity: attributes.count + 1)
        for (index, attribute) in attributes.enumerated() {
            let values = UnsafeMutablePointer<UnsafeMutablePointer<berval>?>.allocate(capacity: attribute.values.count + 1)
            for (valueIndex, bytes) in attribute.values.enumerated() {
                let storage = malloc(max(bytes.count, 1))!
                bytes.withUnsafeBytes { source in
                    if let base = source.baseAddress { storage.copyMemory(from: base, byteCount: bytes.count) }
                }
                let value = UnsafeMutablePointer<berval>.allocate(capacity: 1)
                value.initialize(to: berval(bv_len: ber_len_t(bytes.count), bv_val: storage.assumingMemoryBound(to: CChar.self)))
                values[valueIndex] = value
            }
            values[attribute.values.count] = nil
            let mod = UnsafeMutablePointer<LDAPMod>.allocate(capacity: 1)
            mod.initialize(to: LDAPMod())
            mod.pointee.mod_op = operation | LDAP_MOD_BVALUES
            mod.pointee.mod_type = strdup(attribute.name)
            mod.pointee.mod_vals.modv_bvals = values
            mods[index] = mod
        }
        mods[attributes.count] = nil
        return mods
    }

    private static func freeMods(_ mods: UnsafeMutablePointer<UnsafeMutablePointer<LDAPMod>?>) {
        var index = 0
        while let mod = mods[index] {
            if let values = mod.pointee.mod_vals.modv_bvals {
                var valueIndex = 0
                while let value = values[valueIndex] {
                    free(value.pointee.bv_val)
                    value.deallocate()
                    valueIndex += 1
                }
                values.deallocate()
            }
            free(mod.pointee.mod_type)
            mod.deallocate()
            index += 1
        }
        mods.deallocate()
    }
}
