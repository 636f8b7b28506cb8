import RadScribeCore

/// Findings that report checks recognize in the text, with their spoken variants.
enum Findings {
    /// Findings whose presence in one section and absence in another is a contradiction worth a look.
    static let contradictable: [(name: String, phrases: [[String]])] = [
        ("pneumothorax", [["pneumothorax"], ["pneumothoraces"]]),
        ("pleural effusion", [["pleural", "effusion"], ["pleural", "effusions"], ["effusion"], ["effusions"]]),
        ("consolidation", [["consolidation"]]), ("pneumonia", [["pneumonia"]]),
        ("pulmonary edema", [["edema"]]), ("cardiomegaly", [["cardiomegaly"]]),
        ("fracture", [["fracture"], ["fractures"]]), ("dislocation", [["dislocation"]]),
        ("pulmonary embolism", [["pulmonary", "embolism"], ["pulmonary", "emboli"], ["pulmonary", "embolus"]]),
        ("hemorrhage", [["hemorrhage"], ["hematoma"]]), ("free air", [["free", "air"], ["pneumoperitoneum"]]),
        ("mass", [["mass"]]), ("nodule", [["nodule"], ["nodules"]]), ("hydronephrosis", [["hydronephrosis"]]),
        ("appendicitis", [["appendicitis"]]), ("cholecystitis", [["cholecystitis"]]), ("ascites", [["ascites"]]),
        ("bowel obstruction", [["bowel", "obstruction"], ["obstruction"]]), ("infarct", [["infarct"], ["infarction"]]),
        ("aortic dissection", [["dissection"]]), ("midline shift", [["midline", "shift"]]),
        ("tear", [["tear"]]), ("stenosis", [["stenosis"]]), ("herniation", [["herniation"]]),
        ("lymphadenopathy", [["lymphadenopathy"]]), ("thrombosis", [["thrombosis"], ["thrombus"]]),
    ]

    /// Findings to communicate to the referrer at once (ACR critical results, category 1).
    static let critical: [(name: String, phrases: [[String]])] = [
        ("pneumothorax", [["pneumothorax"], ["pneumothoraces"]]),
        ("pulmonary embolism", [["pulmonary", "embolism"], ["pulmonary", "emboli"], ["pulmonary", "embolus"], ["saddle", "embolus"]]),
        ("intracranial hemorrhage", [
            ["intracranial", "hemorrhage"], ["intracranial", "hematoma"], ["subdural", "hematoma"], ["subdural", "hemorrhage"],
            ["epidural", "hematoma"], ["subarachnoid", "hemorrhage"], ["intraparenchymal", "hemorrhage"],
            ["intraventricular", "hemorrhage"],
        ]),
        ("free air", [["free", "air"], ["pneumoperitoneum"], ["free", "intraperitoneal", "air"]]),
        ("aortic dissection", [["aortic", "dissection"], ["dissection", "of", "the", "aorta"], ["intramural", "hematoma"]]),
        ("ruptured aneurysm", [["ruptured", "aneurysm"], ["aneurysm", "rupture"], ["ruptured", "abdominal", "aortic", "aneurysm"]]),
        ("midline shift / herniation", [["midline", "shift"], ["uncal", "herniation"], ["tonsillar", "herniation"]]),
        ("acute infarct", [["acute", "infarct"], ["acute", "stroke"], ["acute", "infarction"]]),
        ("tension pneumothorax", [["tension", "pneumothorax"]]),
        ("bowel ischemia", [["bowel", "ischemia"], ["pneumatosis"], ["portal", "venous", "gas"]]),
        ("testicular or ovarian torsion", [["testicular", "torsion"], ["ovarian", "torsion"]]),
        ("ectopic pregnancy", [["ectopic", "pregnancy"]]),
        ("cord compression", [["cord", "compression"]]),
        ("malpositioned tube", [["malpositioned"], ["in", "the", "right", "mainstem", "bronchus"], ["esophageal", "intubation"]]),
    ]
}

/// A finding negated in one section and asserted in another ("no pneumothorax" vs "pneumothorax").
struct ContradictionCheck {
    func check(_ input: ReportCheckInput) -> [CheckResult] {
        var results: [CheckResult] = []
        let sections = input.bodySections.map { ($0, ClinicalText($0.text)) }
        for finding in Findings.contradictable {
            var asserted: (ReportSection, String)?
            var negated: (ReportSection, String)?
            for (section, text) in sections {
                for phrase in finding.phrases {
                    for mention in text.mentions(of: phrase) {
                        if mention.negated {
                            if negated == nil { negated = (section, mention.sentence.text) }
                        } else if asserted == nil {
                            asserted = (section, mention.sentence.text)
                        }
                    }
                }
            }
            guard let asserted, let negated, asserted.0.key != negated.0.key else { continue }
            results.append(
                CheckResult(
                    kind: .contradiction,
                    severity: .warning,
                    message: "\(finding.name) is negated in \(negated.0.title) (\"\(negated.1)\") but asserted in "
                        + "\(asserted.0.title) (\"\(asserted.1)\")",
                    section: asserted.0.key
                )
            )
        }
        return results
    }
}

/// Anatomy that does not exist in the patient's recorded sex (uterus in a male, prostate in a female).
struct SexSpecificAnatomyCheck {
    static let female: [[String]] = [
        ["uterus"], ["uterine"], ["ovary"], ["ovaries"], ["ovarian"], ["endometrium"], ["endometrial"], ["cervix"],
        ["fallopian"], ["adnexa"], ["adnexal"], ["vagina"], ["vaginal"],
    ]
    static let male: [[String]] = [
        ["prostate"], ["prostatic"], ["seminal", "vesicles"], ["seminal", "vesicle"], ["testis"], ["testes"], ["testicle"],
        ["testicular"], ["scrotum"], ["scrotal"], ["epididymis"], ["penis"], ["penile"],
    ]

    func check(_ input: ReportCheckInput) -> [CheckResult] {
        let foreign: [[String]]
        switch input.order.patient.sex {
        case .male: foreign = Self.female
        case .female: foreign = Self.male
        case .other, .unknown: return []
        }
        var results: [CheckResult] = []
        for section in input.bodySections {
            let text = ClinicalText(section.text)
            for phrase in foreign {
                guard let mention = text.mentions(of: phrase).first else { continue }
                results.append(
                    CheckResult(
                        kind: .sexSpecificAnatomy,
                        severity: .blocking,
                        message: "\"\(phrase.joined(separator: " "))\" in a \(input.order.patient.sex == .male ? "male" : "female") "
                            + "patient: \"\(mention.sentence.text)\"; check the patient and the dictation",
                        section: section.key
                    )
                )
            }
        }
        return results
    }
}

/// Critical findings asserted in the report: flagged for critical-result communication.
struct CriticalFindingCheck {
    func check(_ input: ReportCheckInput) -> [CheckResult] {
        var results: [CheckResult] = []
        var seen = Set<String>()
        for section in input.bodySections {
            let text = ClinicalText(section.text)
            for finding in Findings.critical where !seen.contains(finding.name) {
                let mention = finding.phrases.lazy.flatMap { text.mentions(of: $0) }.first { !$0.negated }
                guard let mention else { continue }
                seen.insert(finding.name)
                results.append(
                    CheckResult(
                        kind: .criticalFinding,
                        severity: .critical,
                        message: "critical finding: \(finding.name) (\"\(mention.sentence.text)\"); communicate it to the "
                            + "ordering physician and document the communication",
                        section: section.key
                    )
                )
            }
        }
        return results
    }
}

/// An impression that calls something acute or abnormal in general words ("acute intracranial process") while the
/// findings name nothing abnormal and negate findings ("no hemorrhage, mass effect or midline shift"): the mark of a
/// "no" the recognizer lost where the impression began. A fluent sentence no phrase check catches, so it is asked.
struct ImpressionPolarityCheck {
    /// General words for "something is wrong" that an impression negates when the study is normal.
    static let generalAbnormalities: [[String]] = [
        ["process"], ["abnormality"], ["abnormalities"], ["disease"], ["pathology"], ["finding"], ["findings"],
        ["injury"],
    ]  // named findings (hemorrhage, fracture, …) are ContradictionCheck's

    func check(_ input: ReportCheckInput) -> [CheckResult] {
        let impressionKeys: Set<String> = ["impression", "conclusion", "conclusions"]
        guard let impression = input.sections.first(where: { impressionKeys.contains($0.key) }) else { return [] }
        let findings = input.bodySections.filter { !impressionKeys.contains($0.key) }.map { ClinicalText($0.text) }
        var negatedInFindings = false
        for text in findings {
            for finding in Findings.contradictable {
                for phrase in finding.phrases {
                    for mention in text.mentions(of: phrase) {
                        if !mention.negated { return [] }  // the findings do describe something abnormal
                        negatedInFindings = true
                    }
                }
            }
        }
        guard negatedInFindings else { return [] }
        var results: [CheckResult] = []
        let text = ClinicalText(impression.text)
        for sentence in text.sentences where sentence.words.contains("acute") {
            let asserted = Self.generalAbnormalities.contains { phrase in
                ClinicalText(sentence.text).mentions(of: phrase).contains { !$0.negated }
            }
            guard asserted else { continue }
            results.append(
                CheckResult(
                    kind: .contradiction, severity: .warning,
                    message: "the impression says \"\(sentence.text)\" but the findings describe nothing abnormal; "
                        + "was a \"no\" lost?",
                    section: impression.key
                )
            )
        }
        return results
    }
}
