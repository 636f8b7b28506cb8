import RadScribeCore
import ReportChecks
import ReportStore
import ReportTemplates

/// Signing, written once for every front end (`report sign`, `dictate … "sign report"`, the REST route): the
/// lifecycle decides whether this user may sign at all, the checks run against the template version the report was
/// dictated with, a blocking check refuses unless forced, and then the store signs.
public struct SigningService: Sendable {
    public let store: ReportDatabase

    public init(store: ReportDatabase) {
        self.store = store
    }

    /// The checks before signing, against the report's order and the template version it was dictated with (not
    /// the newest: a template changed after the dictation must not change what the report is checked against).
    /// - Parameter fieldValues: values of fields dictated in this session, when the caller has them.
    public func checks(for report: StoredReport, fieldValues: [String: String]? = nil) throws -> [CheckResult] {
        let template = try store.template(slug: report.templateSlug, version: report.templateVersion)
            .map { try ReportTemplate.parse(html: $0.html).template }
        return ReportChecker().check(
            ReportCheckInput(order: report.order, template: template, sections: report.sections, fieldValues: fieldValues)
        )
    }

    /// The checks before signing of the report with this accession.
    public func checks(accession: String, fieldValues: [String: String]? = nil) throws -> [CheckResult] {
        try checks(for: try store.existingReport(accession: accession), fieldValues: fieldValues)
    }

    /// Signs the report: refused by the lifecycle (the role may not sign, the status does not allow it) before any
    /// check runs, then by a blocking check unless `force`.
    /// - Throws: the store's refusals (unknown user, not permitted, already signed), ``SigningRefusal`` (with every
    ///   check result), or the store's other errors.
    public func sign(
        accession: String, by name: String, preliminary: Bool = false, force: Bool = false,
        fieldValues: [String: String]? = nil
    ) throws -> SignedReport {
        // The lifecycle speaks first: checks on a report this user may not sign would only distract.
        try store.authorizeSigning(accession: accession, by: name, preliminary: preliminary)
        let current = try store.existingReport(accession: accession)
        let results = try checks(for: current, fieldValues: fieldValues)
        if ReportChecker.blocksSigning(results), !force { throw SigningRefusal(results: results) }
        let signed = try store.sign(accession: accession, by: name, preliminary: preliminary)
        return SignedReport(report: signed, checks: results, forced: ReportChecker.blocksSigning(results))
    }
}

/// A report signed by ``SigningService``, with the checks it passed (or was forced past).
public struct SignedReport: Sendable {
    public var report: StoredReport
    public var checks: [CheckResult]
    /// True when a blocking check was overridden with `force`.
    public var forced: Bool
}

/// Not signed: at least one check before signing blocks.
public struct SigningRefusal: Error, Sendable, UserFacingError {
    public var results: [CheckResult]

    public var blocking: [CheckResult] { results.filter { $0.severity == .blocking } }

    public var description: String {
        "not signed: \(blocking.count) blocking problem(s); fix them, or sign with force to override"
    }
}
