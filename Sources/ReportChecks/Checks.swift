import Foundation
import RadScribeCore
import ReportTemplates

/// Required fields: an empty PROHIBIT field (or required section) blocks signing, an empty ALERT field warns.
struct RequiredFieldCheck {
    func check(_ input: ReportCheckInput) -> [CheckResult] {
        guard let template = input.template else { return [] }
        var results: [CheckResult] = []
        for section in template.sections {
            let text = input.sections.first { $0.key == section.key }?.text ?? ""
            let fields = section.allFields.filter { $0.kind != .staticText }
            for field in fields {
                let latitude = field.signatureLatitude ?? (field.isRequired ? .prohibit : nil)
                guard let latitude, latitude != .unrestricted else { continue }
                guard !isFilled(field, section: section, fieldCount: fields.count, text: text, input: input) else { continue }
                let name = field.label ?? field.name ?? field.id ?? "field"
                results.append(
                    CheckResult(
                        kind: .requiredField,
                        severity: latitude == .prohibit ? .blocking : .warning,
                        message: latitude == .prohibit
                            ? "required field \"\(name)\" is empty; the report cannot be signed without it"
                            : "field \"\(name)\" is empty; check it before signing",
                        section: section.key
                    )
                )
            }
            if section.isRequired || section.signatureLatitude == .prohibit, fields.isEmpty,
                !text.hasContent
            {
                results.append(
                    CheckResult(kind: .requiredField, severity: .blocking, message: "required section \"\(section.name)\" is empty",
                                section: section.key)
                )
            }
        }
        return results
    }

    /// A field is filled when the session says so, else when its labelled line has a value, else (a section's
    /// only or unlabelled field) when its section has text.
    private func isFilled(_ field: TemplateField, section: TemplateSection, fieldCount: Int, text: String, input: ReportCheckInput) -> Bool {
        let key = field.id ?? field.name.map(TemplateSection.key(forName:)) ?? ""
        if let values = input.fieldValues, let value = values[key] {
            return value.hasContent
        }
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard body.hasContent else { return false }
        if let label = field.label, !label.isEmpty {
            for line in body.split(whereSeparator: \.isNewline) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.lowercased().hasPrefix(label.lowercased() + ":") {
                    return String(trimmed.dropFirst(label.count + 1)).hasContent
                }
            }
            // Free dictation in a section of several labelled fields does not fill each field.
            return fieldCount == 1
        }
        return true
    }
}

/// An impression (or conclusion) must be present.
struct ImpressionCheck {
    func check(_ input: ReportCheckInput) -> [CheckResult] {
        let keys = ["impression", "conclusion", "conclusions"]
        let impression = input.sections.first { keys.contains($0.key) }
        if let impression, impression.text.hasContent { return [] }
        return [
            CheckResult(
                kind: .impression,
                severity: .blocking,
                message: impression == nil ? "the report has no impression section" : "the impression is empty; dictate one",
                section: impression?.key
            )
        ]
    }
}

/// The side dictated in the report body must match the side of the ordered procedure.
struct LateralityCheck {
    func check(_ input: ReportCheckInput) -> [CheckResult] {
        let ordered = Set(ClinicalText.words(input.order.procedureName))
        let side: String
        if ordered.contains("left") && !ordered.contains("right") {
            side = "left"
        } else if ordered.contains("right") && !ordered.contains("left") {
            side = "right"
        } else {
            return []
        }
        let opposite = side == "left" ? "right" : "left"
        var results: [CheckResult] = []
        for section in input.bodySections {
            for mention in ClinicalText(section.text).mentions(of: [opposite]) {
                // "comparison with the right" is deliberate; anything else on the other side is suspicious.
                let words = mention.sentence.words
                if words.contains("contralateral") || words.contains("compared") || words.contains("comparison") { continue }
                results.append(
                    CheckResult(
                        kind: .laterality,
                        severity: .blocking,
                        message: "\(side) side ordered (\(input.order.procedureName)) but \"\(opposite)\" dictated: "
                            + "\"\(mention.sentence.text)\"",
                        section: section.key
                    )
                )
            }
        }
        return results
    }
}

/// Measurements that are implausible for the organ they describe, usually mm said for cm or the reverse.
struct UnitPlausibilityCheck {
    /// Plausible largest dimension in centimeters, by organ phrase (longest phrases are tried first).
    static let ranges: [(phrase: [String], name: String, range: ClosedRange<Double>)] = [
        (["kidney"], "kidney", 5...16), (["kidneys"], "kidney", 5...16),
        (["liver"], "liver", 8...25), (["spleen"], "spleen", 5...22),
        (["aorta"], "aorta", 1...10), (["aortic"], "aorta", 1...10),
        (["thyroid", "nodule"], "thyroid nodule", 0.1...8), (["thyroid", "lobe"], "thyroid lobe", 2...9),
        (["thyroid"], "thyroid", 0.1...9),
        (["gallbladder", "wall"], "gallbladder wall", 0.05...2), (["common", "bile", "duct"], "common bile duct", 0.1...3),
        (["bile", "duct"], "bile duct", 0.1...3),
        (["prostate"], "prostate", 2...12), (["uterus"], "uterus", 3...15), (["ovary"], "ovary", 1...8),
        (["endometrium"], "endometrium", 0.05...3), (["endometrial"], "endometrium", 0.05...3),
        (["appendix"], "appendix", 0.2...3), (["lymph", "node"], "lymph node", 0.2...8),
        (["pulmonary", "nodule"], "pulmonary nodule", 0.1...8), (["nodule"], "nodule", 0.1...10),
        (["pancreatic", "duct"], "pancreatic duct", 0.1...2), (["testis"], "testis", 1...7),
        (["pleural", "effusion"], "pleural effusion", 0.3...30),
    ]

    func check(_ input: ReportCheckInput) -> [CheckResult] {
        var results: [CheckResult] = []
        let organs = Self.ranges.sorted { $0.phrase.count > $1.phrase.count }
        for section in input.bodySections {
            for sentence in ClinicalText(section.text).sentences {
                let words = sentence.words
                for (index, word) in words.enumerated() where word == "mm" || word == "cm" {
                    // The measurement: "11 mm", "3 x 4 cm" (largest dimension).
                    var numbers: [Double] = []
                    var back = index - 1
                    while back >= 0, let value = Double(words[back]) {
                        numbers.append(value)
                        back -= 1
                        if back >= 0, words[back] == "x" || words[back] == "by" { back -= 1 } else { break }
                    }
                    guard let largest = numbers.max() else { continue }
                    let centimeters = word == "mm" ? largest / 10 : largest
                    // The organ named nearest before the measurement, else after it, in the same sentence.
                    let before = Array(words[..<max(0, back + 1)])
                    let after = Array(words[(index + 1)...])
                    guard let organ = nearest(organs, in: before, fromEnd: true) ?? nearest(organs, in: after, fromEnd: false)
                    else { continue }
                    guard !organ.range.contains(centimeters) else { continue }
                    let number = largest.formatted(.number.grouping(.never))
                    let other = word == "mm" ? "cm" : "mm"
                    let hint = organ.range.contains(word == "mm" ? largest : largest / 10) ? "; did you mean \(number) \(other)?" : ""
                    results.append(
                        CheckResult(
                            kind: .units,
                            severity: .warning,
                            message: "\(number) \(word) is implausible for the \(organ.name) (expected "
                                + "\(Self.describe(organ.range))) in \"\(sentence.text)\"\(hint)",
                            section: section.key
                        )
                    )
                }
            }
        }
        return results
    }

    private func nearest(
        _ organs: [(phrase: [String], name: String, range: ClosedRange<Double>)], in words: [String], fromEnd: Bool
    ) -> (phrase: [String], name: String, range: ClosedRange<Double>)? {
        var best: (position: Int, organ: (phrase: [String], name: String, range: ClosedRange<Double>))?
        for organ in organs where organ.phrase.count <= words.count {
            for start in 0...(words.count - organ.phrase.count) where Array(words[start..<start + organ.phrase.count]) == organ.phrase {
                let distance = fromEnd ? words.count - (start + organ.phrase.count) : start
                if best == nil || distance < best!.position { best = (distance, organ) }
            }
        }
        return best?.organ
    }

    static func describe(_ range: ClosedRange<Double>) -> String {
        func text(_ cm: Double) -> String {
            cm < 1 ? "\((cm * 10).formatted(.number.grouping(.never))) mm" : "\(cm.formatted(.number.grouping(.never))) cm"
        }
        return "\(text(range.lowerBound))–\(text(range.upperBound))"
    }
}

extension String {
    /// Holds at least one letter or digit: "." alone (a dictated "period") is not content.
    var hasContent: Bool { contains { $0.isLetter || $0.isNumber } }
}

/// The RIS files a result under the patient's identifier and name: an order without them (one `dictate` created
/// for an accession the RIS never sent) would give an ORU a strict receiver refuses, stopping its queue.
struct PatientIdentityCheck {
    func check(_ input: ReportCheckInput) -> [CheckResult] {
        PatientIdentity.missing(in: input.order.patient).map { missing in
            CheckResult(
                kind: .patientIdentity, severity: .blocking,
                message: "\(missing.description), which the RIS needs to file the result: add it to the order"
            )
        }
    }
}
