import RadScribeCore
import ReportChecks
import ReportTemplates
import Foundation
import Testing
import TestSupport

@Suite("Checks before signing")
struct ReportCheckTests {
    static let chest: ReportTemplate = {
        let url = ProjectPaths.root.appendingPathComponent("Templates/chest-radiograph-2-views.html")
        return try! ReportTemplate.parse(contentsOf: url).template
    }()

    private func order(_ procedure: String = "Chest radiograph, two views", sex: AdministrativeSex = .unknown) -> ImagingOrder {
        ImagingOrder(
            accession: "ACC1", placerOrderNumber: "ACC1", fillerOrderNumber: "ACC1",
            patient: Patient(mrn: "1", familyName: "Doe", givenName: "J", birthDate: "", sex: sex),
            procedureCode: "X", procedureName: procedure, procedureCodingSystem: "L", modality: "CR",
            orderingPhysician: "", reasonForExam: ""
        )
    }

    private func sections(findings: String, impression: String, technique: String = "") -> [ReportSection] {
        [
            ReportSection(key: "clinical-information", title: "Clinical information", loincCode: nil, loincName: nil, text: ""),
            ReportSection(key: "technique", title: "Technique", loincCode: nil, loincName: nil, text: technique),
            ReportSection(key: "findings", title: "Findings", loincCode: nil, loincName: nil, text: findings),
            ReportSection(key: "impression", title: "Impression", loincCode: nil, loincName: nil, text: impression),
        ]
    }

    private func run(
        findings: String, impression: String = "No acute disease.", procedure: String = "Chest radiograph, two views",
        sex: AdministrativeSex = .unknown, template: ReportTemplate? = nil, fieldValues: [String: String]? = nil
    ) -> [CheckResult] {
        ReportChecker().check(
            ReportCheckInput(
                order: order(procedure, sex: sex), template: template,
                sections: sections(findings: findings, impression: impression), fieldValues: fieldValues
            )
        )
    }

    private func kinds(_ results: [CheckResult], _ kind: CheckKind) -> [CheckResult] { results.filter { $0.kind == kind } }

    // MARK: required fields

    @Test("an order without a patient identifier (or the UNKNOWN placeholder) or family name blocks signing")
    func patientIdentity() {
        #expect(kinds(run(findings: "Clear lungs."), .patientIdentity).isEmpty)
        for (mrn, family, expected) in [("", "Doe", "PID-3"), ("UNKNOWN", "Doe", "PID-3"), ("1", " ", "PID-5")] {
            var input = ReportCheckInput(
                order: order(), template: nil, sections: sections(findings: "Clear lungs.", impression: "Normal.")
            )
            input.order.patient.mrn = mrn
            input.order.patient.familyName = family
            let results = kinds(ReportChecker().check(input), .patientIdentity)
            #expect(results.count == 1 && results[0].severity == .blocking, "\(mrn)/\(family): \(results)")
            #expect(results.first?.message.contains(expected) == true)
        }
    }

    @Test("an empty PROHIBIT field blocks signing; an empty ALERT field warns")
    func requiredFields() {
        let results = run(findings: "Pleura: No effusion.", impression: "", template: Self.chest)
        let required = kinds(results, .requiredField)
        #expect(required.contains { $0.severity == .blocking && $0.message.contains("Impression") })
        #expect(required.contains { $0.severity == .warning && $0.message.contains("Lungs") })
        #expect(ReportChecker.blocksSigning(results))
    }

    @Test("filled required fields raise nothing")
    func requiredFieldsFilled() {
        let results = run(findings: "Lungs: Clear.\nPleura: No effusion.", impression: "Normal chest.", template: Self.chest)
        #expect(kinds(results, .requiredField).isEmpty, "\(results)")
        #expect(!ReportChecker.blocksSigning(results))
        let fromSession = run(findings: "x", impression: "", template: Self.chest,
                              fieldValues: ["findings-lungs": "Clear.", "impression-text": "Normal."])
        #expect(kinds(fromSession, .requiredField).isEmpty, "\(fromSession)")
    }

    // MARK: impression

    @Test("a missing impression blocks; a present one passes")
    func impression() {
        #expect(kinds(run(findings: "Clear lungs.", impression: "  "), .impression).first?.severity == .blocking)
        #expect(kinds(run(findings: "Clear lungs.", impression: "."), .impression).first?.severity == .blocking, "punctuation only")
        #expect(kinds(run(findings: "Clear lungs.", impression: "Normal chest."), .impression).isEmpty)
    }

    // MARK: laterality

    @Test("the other side dictated on a sided order blocks")
    func lateralityMismatch() {
        let results = run(findings: "There is a tear of the right medial meniscus.", impression: "Meniscal tear.",
                          procedure: "MRI left knee without contrast")
        let found = kinds(results, .laterality)
        #expect(found.count == 1 && found[0].severity == .blocking, "\(results)")
    }

    @Test("the ordered side, a comparison with the other side, or an unsided order pass")
    func lateralityConsistent() {
        #expect(kinds(run(findings: "Tear of the left medial meniscus.", procedure: "MRI left knee"), .laterality).isEmpty)
        #expect(kinds(run(findings: "Joint space narrower than on the right comparison.", procedure: "MRI left knee"),
                      .laterality).isEmpty)
        #expect(kinds(run(findings: "Small right pleural effusion."), .laterality).isEmpty)
        #expect(kinds(run(findings: "Right knee normal.", procedure: "Bilateral knee radiographs left and right"),
                      .laterality).isEmpty)
    }

    // MARK: units

    @Test("implausible measurements for the organ warn", arguments: [
        "The right kidney measures 11 mm.", "The abdominal aorta measures 30 cm in diameter.",
        "The spleen is 130 cm.",
    ])
    func implausibleUnits(_ text: String) {
        let found = kinds(run(findings: text), .units)
        #expect(found.count == 1 && found[0].severity == .warning, "\(text): \(found)")
    }

    @Test("plausible measurements pass", arguments: [
        "The right kidney measures 11 cm.", "There is a 3 cm thyroid nodule.", "The aorta measures 2.5 cm.",
        "A 4 mm pulmonary nodule.", "The kidney measures 10.5 x 4 x 5 cm.", "Common bile duct 4 mm.",
    ])
    func plausibleUnits(_ text: String) {
        #expect(kinds(run(findings: text), .units).isEmpty, "\(text)")
    }

    @Test("the warning suggests the other unit when that fits")
    func unitHint() {
        let message = kinds(run(findings: "The left kidney measures 11 mm."), .units).first?.message ?? ""
        #expect(message.contains("did you mean 11 cm?"), "\(message)")
    }

    // MARK: contradictions

    @Test("an acute impression over findings that only negate is asked about: a lost \"no\"")
    func impressionPolarity() {
        let findings = "No intracranial hemorrhage, mass effect or midline shift. No acute infarct."
        let lost = kinds(run(findings: findings, impression: "Acute intracranial process."), .contradiction)
        #expect(lost.count == 1 && lost[0].message.contains("lost"), "\(lost)")
        #expect(kinds(run(findings: findings, impression: "No acute intracranial process."), .contradiction).isEmpty)
        // Findings that describe something: an acute impression is expected.
        let real = run(findings: "Acute subdural hematoma over the left convexity.", impression: "Acute intracranial hemorrhage.")
        #expect(kinds(real, .contradiction).isEmpty)
        // The issue's own example: findings negate a hemorrhage the impression asserts.
        let example = kinds(run(findings: "No hemorrhage.", impression: "Acute hemorrhage."), .contradiction)
        #expect(!example.isEmpty)
    }

    @Test("a finding negated in findings and asserted in the impression warns")
    func contradiction() {
        let results = run(findings: "No pleural effusion or pneumothorax.", impression: "Small pneumothorax.")
        let found = kinds(results, .contradiction)
        #expect(found.count == 1 && found[0].message.contains("pneumothorax"), "\(results)")
    }

    @Test("consistent negations and assertions pass")
    func noContradiction() {
        #expect(kinds(run(findings: "No pneumothorax.", impression: "No pneumothorax."), .contradiction).isEmpty)
        #expect(kinds(run(findings: "Small left pneumothorax.", impression: "Left pneumothorax."), .contradiction).isEmpty)
        #expect(kinds(run(findings: "No effusion, but a small pneumothorax.", impression: "Small pneumothorax."),
                      .contradiction).isEmpty)
    }

    // MARK: sex-specific anatomy

    @Test("female anatomy in a male and male anatomy in a female block")
    func sexMismatch() {
        let male = kinds(run(findings: "The uterus is normal in size.", sex: .male), .sexSpecificAnatomy)
        #expect(male.count == 1 && male[0].severity == .blocking)
        let female = kinds(run(findings: "The prostate is enlarged.", sex: .female), .sexSpecificAnatomy)
        #expect(female.count == 1)
    }

    @Test("matching or unknown sex passes")
    func sexConsistent() {
        #expect(kinds(run(findings: "The prostate is enlarged.", sex: .male), .sexSpecificAnatomy).isEmpty)
        #expect(kinds(run(findings: "The uterus is normal.", sex: .female), .sexSpecificAnatomy).isEmpty)
        #expect(kinds(run(findings: "The uterus is normal.", sex: .unknown), .sexSpecificAnatomy).isEmpty)
        #expect(kinds(run(findings: "Cervical spine alignment is normal.", sex: .male), .sexSpecificAnatomy).isEmpty)
    }

    // MARK: critical findings

    @Test("asserted critical findings are flagged for communication", arguments: [
        "Large right pneumothorax.", "Filling defects consistent with pulmonary embolism.",
        "Acute subdural hematoma along the left convexity.", "Free air under the diaphragm.",
        "Type A aortic dissection.",
    ])
    func critical(_ text: String) {
        let found = kinds(run(findings: text, impression: "See findings."), .criticalFinding)
        #expect(found.count == 1 && found[0].severity == .critical, "\(text): \(found)")
    }

    @Test("negated critical findings are not flagged", arguments: [
        "No pneumothorax.", "No evidence of pulmonary embolism.", "No intracranial hemorrhage.",
        "Negative for free air.", "No pleural effusion or pneumothorax.",
    ])
    func notCritical(_ text: String) {
        #expect(kinds(run(findings: text, impression: "Normal."), .criticalFinding).isEmpty, "\(text)")
    }

    @Test("a rule-out question in the history is not a finding")
    func historyIgnored() {
        var input = ReportCheckInput(order: order(), template: nil,
                                     sections: sections(findings: "Lungs clear.", impression: "Normal."))
        input.sections[0].text = "Pneumothorax after line placement?"
        #expect(ReportChecker().check(input).isEmpty)
    }

    @Test("results come most severe first")
    func ordering() {
        let results = run(findings: "Large pneumothorax. The kidney measures 11 mm.", impression: "")
        #expect(results.first?.severity == .blocking)
        #expect(results.map(\.severity) == results.map(\.severity).sorted(by: >))
    }
}
