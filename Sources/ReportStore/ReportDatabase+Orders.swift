import Foundation
import GRDB
import RadScribeCore

/// A change to the worklist that an inbound order message asks for.
public enum InboundOrderChange: Sendable, Hashable {
    /// A new order (ORC-1 NW): the order and its scheduled report.
    case create(ImagingOrder)
    /// A changed order (XO): patient, procedure, priority, schedule; the accession and the assignment stay.
    case update(ImagingOrder)
    /// A cancelled order (CA): its report is cancelled; cancelling a cancelled order changes nothing.
    case cancel(accession: String)
    /// A status change (SC): priority and schedule are updated; an order status of CA or DC cancels.
    case statusChange(ImagingOrder, orderStatus: String)

    var accession: String {
        switch self {
        case .create(let order), .update(let order), .statusChange(let order, _): order.accession
        case .cancel(let accession): accession
        }
    }
}

/// What ``ReportDatabase/applyInboundOrders(_:sender:controlID:messageType:at:)`` did.
public enum InboundOrderOutcome: Sendable, Hashable {
    /// Every change was applied and the message recorded.
    case applied
    /// A message with the same sender and MSH-10 was applied before: nothing changed.
    case duplicate
}

/// Why one change of an inbound message was refused; nothing of the message was applied.
///
/// Wraps the ``ReportStoreError`` with the index of the change, so the HL7 answer can name the order at fault.
public struct InboundOrderRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// Index of the refused change in the list given.
    public var index: Int
    public var error: ReportStoreError

    public var description: String { "change \(index + 1): \(error)" }
}

extension ReportDatabase {
    // MARK: Inbound orders (HL7)

    /// Applies the worklist changes of one inbound order message in one transaction, and records the message so a
    /// resend (same sender and MSH-10) is recognized and ignored. Any refusal rolls everything back.
    ///
    /// The RIS acts as an `interface` user named `ris:SENDER`; cancels go through the lifecycle (versions, outbox,
    /// audit) like any other cancel.
    /// - Parameters:
    ///   - changes: the changes, in message order.
    ///   - sender: MSH-3 and MSH-4 of the message, the scope in which MSH-10 is unique.
    ///   - controlID: MSH-10.
    ///   - messageType: e.g. `ORM^O01`, kept for diagnostics.
    ///   - time: when the message was received.
    /// - Returns: whether the message was applied or was a duplicate.
    /// - Throws: ``InboundOrderRefusal`` naming the change refused (unknown or existing accession, a report that
    ///   may no longer change), or ``ReportStoreError`` for storage failures.
    public func applyInboundOrders(
        _ changes: [InboundOrderChange], sender: String, controlID: String, messageType: String, at time: Date = Date()
    ) throws -> InboundOrderOutcome {
        try write { db in
            let seen = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM hl7_inbound WHERE sender = ? AND control_id = ?",
                arguments: [sender, controlID]
            ) ?? 0
            if seen > 0 { return .duplicate }
            let user = ActingUser(name: "ris:" + sender, role: .interface)
            for (index, change) in changes.enumerated() {
                do {
                    try Self.apply(change, by: user, controlID: controlID, at: time, in: db)
                } catch let error as ReportStoreError {
                    throw InboundOrderRefusal(index: index, error: error)
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO hl7_inbound (sender, control_id, message_type, received_at, changes)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [sender, controlID, messageType, time, changes.count]
            )
            return .applied
        }
    }

    /// How many inbound messages have been applied (and are remembered for de-duplication).
    public func inboundMessageCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM hl7_inbound") ?? 0 }
    }

    private static func apply(
        _ change: InboundOrderChange, by user: ActingUser, controlID: String, at time: Date, in db: Database
    ) throws {
        let accession = change.accession
        switch change {
        case .create(let order):
            if try OrderRecord.filter(Column("accession") == accession).fetchCount(db) > 0 {
                throw ReportStoreError.orderExists(accession)
            }
            var record = OrderRecord(order, source: "hl7", at: time)
            try record.insert(db)
            guard let orderID = record.id else { throw ReportStoreError.orderNotFound(accession) }
            var report = ReportRecord(
                orderId: orderID, templateId: nil, status: ReportStatus.scheduled.rawValue, createdAt: time,
                updatedAt: time
            )
            try report.insert(db)
            try audit(
                db, user: user, action: "order", reportID: report.id, accession: accession,
                detail: "NW \(controlID)", at: time
            )
        case .update(let order):
            var record = try changeableOrder(db, accession: accession)
            record.placerNumber = order.placerOrderNumber.isEmpty ? record.placerNumber : order.placerOrderNumber
            record.fillerNumber = order.fillerOrderNumber.isEmpty ? record.fillerNumber : order.fillerOrderNumber
            record.mrn = order.patient.mrn
            record.familyName = order.patient.familyName
            record.givenName = order.patient.givenName
            record.birthDate = order.patient.birthDate
            record.sex = order.patient.sex.rawValue
            record.procedureCode = order.procedureCode
            record.procedureName = order.procedureName
            record.procedureCodingSystem = order.procedureCodingSystem
            if !order.modality.isEmpty { record.modality = order.modality }
            record.orderingPhysician = order.orderingPhysician
            record.reason = order.reasonForExam
            record.priority = order.priority.rawValue
            record.scheduledAt = order.scheduledAt ?? record.scheduledAt
            try record.update(db)
            try audit(
                db, user: user, action: "order", reportID: nil, accession: accession, detail: "XO \(controlID)",
                at: time
            )
        case .statusChange(let order, let orderStatus):
            if orderStatus == "CA" || orderStatus == "DC" {
                try cancelOrder(db, accession: accession, by: user, at: time)
                return
            }
            var record = try changeableOrder(db, accession: accession)
            record.priority = order.priority.rawValue
            record.scheduledAt = order.scheduledAt ?? record.scheduledAt
            try record.update(db)
            try audit(
                db, user: user, action: "order", reportID: nil, accession: accession,
                detail: "SC \(orderStatus) \(controlID)", at: time
            )
        case .cancel:
            try cancelOrder(db, accession: accession, by: user, at: time)
        }
    }

    /// Completes or corrects the patient of an order whose report is not signed yet (an order `dictate` made for an
    /// accession the RIS never sent has no name). Only the values given change; the audit names the fields changed,
    /// never their values.
    /// - Parameters:
    ///   - user: a registered user (an administrator or the interface on the API; the local command line may act
    ///     for its OS account).
    /// - Returns: the order as it now stands.
    /// - Throws: ``ReportStoreError`` when the order is unknown, its report signed or cancelled, or a value malformed.
    @discardableResult
    public func updatePatient(accession: String, _ update: PatientUpdate, by user: String) throws -> ImagingOrder {
        if let birthDate = update.birthDate, !birthDate.isEmpty,
            birthDate.count != 8 || !birthDate.allSatisfy(\.isNumber)
        {
            throw ReportStoreError.invalidArgument("a birth date is YYYYMMDD")
        }
        for value in [update.mrn, update.familyName] {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ReportStoreError.invalidArgument("a patient identifier or family name cannot be made empty")
            }
        }
        return try write { db in
            let acting = (try? ActingUser.registered(db, user)) ?? ActingUser(name: user, role: nil)
            var record = try Self.changeableOrder(db, accession: accession)
            var changed: [String] = []
            func set(_ value: String?, _ field: WritableKeyPath<OrderRecord, String>, _ name: String) {
                guard let value, record[keyPath: field] != value else { return }
                record[keyPath: field] = value
                changed.append(name)
            }
            set(update.mrn, \.mrn, "mrn")
            set(update.familyName, \.familyName, "family name")
            set(update.givenName, \.givenName, "given name")
            set(update.birthDate, \.birthDate, "birth date")
            set(update.sex?.rawValue, \.sex, "sex")
            if !changed.isEmpty {
                try record.update(db)
                try Self.audit(
                    db, user: acting, action: "order-update", reportID: nil, accession: accession,
                    detail: changed.joined(separator: ", "), at: Date()
                )
            }
            return record.order
        }
    }

    /// The order, when its report may still change (not finalized, not cancelled).
    private static func changeableOrder(_ db: Database, accession: String) throws -> OrderRecord {
        guard let record = try OrderRecord.filter(Column("accession") == accession).fetchOne(db) else {
            throw ReportStoreError.orderNotFound(accession)
        }
        if let report = try reportRecord(db, accession: accession),
            let status = ReportStatus(rawValue: report.status), status.isFinalized || status == .cancelled
        {
            throw ReportStoreError(
                .illegalTransition, "report \(accession) is \(status.rawValue); its order can no longer change"
            )
        }
        return record
    }

    private static func cancelOrder(_ db: Database, accession: String, by user: ActingUser, at time: Date) throws {
        guard try OrderRecord.filter(Column("accession") == accession).fetchCount(db) > 0 else {
            throw ReportStoreError.orderNotFound(accession)
        }
        var report = try existingRecord(db, accession: accession)
        if report.status == ReportStatus.cancelled.rawValue { return }
        try apply(.cancel, to: &report, accession: accession, by: user, content: nil, at: time, in: db)
    }
}

extension ReportDatabase {
    /// Inbound HL7 messages applied to the worklist, one row each, so a resend with the same sender and MSH-10 is
    /// acknowledged and ignored. Only applied messages are recorded: a refused one may be sent again, fixed.
    static func migrateInboundOrders(_ db: Database) throws {
        try db.create(table: "hl7_inbound") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("sender", .text).notNull()
            t.column("control_id", .text).notNull()
            t.column("message_type", .text).notNull()
            t.column("received_at", .datetime).notNull()
            t.column("changes", .integer).notNull()
            t.uniqueKey(["sender", "control_id"])
        }
    }
}

/// New values for an order's patient; nil leaves a value as it is.
public struct PatientUpdate: Sendable, Hashable, Decodable {
    public var mrn: String?
    public var familyName: String?
    public var givenName: String?
    /// YYYYMMDD.
    public var birthDate: String?
    public var sex: AdministrativeSex?

    public init(
        mrn: String? = nil, familyName: String? = nil, givenName: String? = nil, birthDate: String? = nil,
        sex: AdministrativeSex? = nil
    ) {
        self.mrn = mrn
        self.familyName = familyName
        self.givenName = givenName
        self.birthDate = birthDate
        self.sex = sex
    }
}
