import RadScribeCore

extension FindingCoder {
    /// Sections whose statements are the radiologist's findings; the history and comparison describe other things.
    public static let codedSectionKeys: Set<String> = ["findings", "impression", "addendum"]

    /// The report's coded findings as the RIS receives them: one per concept and side, the impression's
    /// statement winning over the findings' when they differ (it is the radiologist's conclusion).
    public func reportFindings(for sections: [ReportSection], in ontology: Ontology) -> [ReportFinding] {
        var byKey: [String: ReportFinding] = [:]
        var order: [String] = []
        let ordered = sections.filter { Self.codedSectionKeys.contains($0.key) }
            .sorted { ($0.key == "impression" ? 1 : 0) < ($1.key == "impression" ? 1 : 0) }
        for section in ordered {
            for coded in code(section.text) {
                let finding = ReportFinding(
                    conceptID: coded.conceptID,
                    radlexID: ontology[coded.conceptID]?.radLex?.rid,
                    term: coded.preferredTerm,
                    presence: ReportFinding.Presence(rawValue: coded.status.rawValue) ?? .uncertain,
                    laterality: coded.laterality.flatMap { ReportFinding.Laterality(rawValue: $0.rawValue) }
                )
                let key = "\(finding.conceptID)|\(finding.laterality?.rawValue ?? "")"
                if byKey[key] == nil { order.append(key) }
                byKey[key] = finding
            }
        }
        return order.compactMap { byKey[$0] }
    }
}
