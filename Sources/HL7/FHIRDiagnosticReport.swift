import Foundation
import RadScribeCore

/// A report as a FHIR R4 DiagnosticReport (JSON), mapped per the IHE IMR mapping from the ORU fields:
/// identifier ← OBR-3 (accession), code ← LOINC 18748-4 plus OBR-4, effective ← OBR-7, issued ← OBR-22,
/// resultsInterpreter ← OBR-32, subject ← PID-3, category ← OBR-24 (RAD), conclusion ← the impression,
/// presentedForm ← the whole report text (base64, text/plain).
///
/// Status: P → preliminary, F → final, C → corrected (an addended report → appended), X → cancelled; a report not
/// yet signed is `registered`. References are logical (identifiers), as no FHIR server holds the patient here.
public enum FHIRDiagnosticReport {
    /// The FHIR status of a report status.
    public static func status(of status: ReportStatus) -> String {
        switch status {
        case .scheduled, .dictating, .draft, .pendingCorrection, .correctedDraft: "registered"
        case .preliminary: "preliminary"
        case .final: "final"
        case .corrected: "corrected"
        case .addended: "appended"
        case .cancelled: "cancelled"
        }
    }

    /// The resource as a JSON object.
    /// - Parameters:
    ///   - report: the report.
    ///   - patientIDSystem: the URI of the MRN's assigning authority (PID-3.4), if known.
    public static func resource(for report: ReportSnapshot, patientIDSystem: String? = nil) -> [String: Any] {
        let order = report.order
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var resource: [String: Any] = [
            "resourceType": "DiagnosticReport",
            "id": resourceID(order.accession),
            "meta": ["profile": ["http://hl7.org/fhir/StructureDefinition/DiagnosticReport"]],
            "identifier": identifiers(order),
            "status": status(of: report.status),
            "category": [
                [
                    "coding": [
                        ["system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "RAD", "display": "Radiology"],
                        ["system": "http://loinc.org", "code": "LP29684-5", "display": "Radiology"],
                    ]
                ]
            ],
            "code": code(order),
            "subject": subject(order.patient, system: patientIDSystem),
            "effectiveDateTime": formatter.string(from: report.observedAt),
            "issued": formatter.string(from: report.statusChangedAt),
        ]
        if let interpreter = report.signedBy, !interpreter.isEmpty {
            resource["resultsInterpreter"] = [
                ["identifier": ["value": interpreter], "display": interpreter]
            ]
        }
        let impression = report.sections.first { $0.loincCode == "19005-8" || $0.key == "impression" }?.text
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if let impression, !impression.isEmpty { resource["conclusion"] = impression }
        let findingCodes = report.findings.filter { $0.presence == .present }.map { finding -> [String: Any] in
            var codings: [[String: Any]] = []
            if let rid = finding.radlexID, !rid.isEmpty {
                codings.append(["system": "http://radlex.org", "code": rid, "display": finding.term])
            }
            codings.append(["system": "urn:radscribe:concept", "code": finding.conceptID, "display": finding.term])
            return ["coding": codings, "text": finding.term]
        }
        if !findingCodes.isEmpty { resource["conclusionCode"] = findingCodes }
        let text = renderedText(report)
        if !text.isEmpty {
            resource["presentedForm"] = [
                [
                    "contentType": "text/plain; charset=utf-8",
                    "language": "en",
                    "data": Data(text.utf8).base64EncodedString(),
                    "title": order.procedureName.isEmpty ? "Radiology report" : order.procedureName,
                    "creation": formatter.string(from: report.statusChangedAt),
                ]
            ]
        }
        return resource
    }

    /// The resource as pretty-printed JSON with sorted keys.
    public static func json(for report: ReportSnapshot, patientIDSystem: String? = nil) throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: resource(for: report, patientIDSystem: patientIDSystem),
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        )
        return String(decoding: data, as: UTF8.self)
    }

    /// The report as plain text: each non-empty section under its title, then the addendum.
    public static func renderedText(_ report: ReportSnapshot) -> String {
        var sections = report.sections
        if let addendum = report.addendum, !sections.contains(where: { $0.key == "addendum" }) {
            sections.append(ReportSection(key: "addendum", title: "Addendum", loincCode: nil, loincName: nil, text: addendum))
        }
        return sections.compactMap { section -> String? in
            let text = section.text.trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : "\(section.title.uppercased())\n\(text)"
        }.joined(separator: "\n\n")
    }

    /// A FHIR id: letters, digits, `-` and `.`, at most 64 characters.
    static func resourceID(_ accession: String) -> String {
        let allowed = accession.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-"
                || scalar == ".") ? Character(scalar) : "-"
        }
        let id = String(allowed.prefix(64))
        return id.isEmpty ? "report" : id
    }

    private static func identifiers(_ order: ImagingOrder) -> [[String: Any]] {
        var list: [[String: Any]] = [
            [
                "use": "usual",
                "type": [
                    "coding": [
                        ["system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "ACSN", "display": "Accession ID"]
                    ]
                ],
                "value": order.accession,
            ]
        ]
        if !order.placerOrderNumber.isEmpty {
            list.append([
                "type": [
                    "coding": [
                        ["system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PLAC", "display": "Placer Identifier"]
                    ]
                ],
                "value": order.placerOrderNumber,
            ])
        }
        if !order.fillerOrderNumber.isEmpty, order.fillerOrderNumber != order.accession {
            list.append([
                "type": [
                    "coding": [
                        ["system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "FILL", "display": "Filler Identifier"]
                    ]
                ],
                "value": order.fillerOrderNumber,
            ])
        }
        return list
    }

    private static func code(_ order: ImagingOrder) -> [String: Any] {
        var codings: [[String: Any]] = [
            ["system": "http://loinc.org", "code": "18748-4", "display": "Diagnostic imaging study"]
        ]
        if !order.procedureCode.isEmpty {
            var procedure: [String: Any] = [
                "system": order.procedureCodingSystem == "LN" ? "http://loinc.org" : "urn:radscribe:procedure",
                "code": order.procedureCode,
            ]
            if !order.procedureName.isEmpty { procedure["display"] = order.procedureName }
            codings.append(procedure)
        }
        var code: [String: Any] = ["coding": codings]
        if !order.procedureName.isEmpty { code["text"] = order.procedureName }
        return code
    }

    private static func subject(_ patient: Patient, system: String?) -> [String: Any] {
        var identifier: [String: Any] = [
            "type": [
                "coding": [
                    ["system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR", "display": "Medical record number"]
                ]
            ],
            "value": patient.mrn,
        ]
        if let system, !system.isEmpty { identifier["system"] = system }
        var subject: [String: Any] = ["type": "Patient", "identifier": identifier]
        let name = [patient.familyName, patient.givenName].filter { !$0.isEmpty }.joined(separator: ", ")
        if !name.isEmpty { subject["display"] = name }
        return subject
    }
}
