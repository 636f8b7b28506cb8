import Foundation
import RadScribeCore

/// Reports built in code for the HL7 tests (synthetic patients only).
enum SampleReports {
    static let order = ImagingOrder(
        accession: "ACC20250102-0042",
        placerOrderNumber: "PLC-0778-A",
        fillerOrderNumber: "ACC20250102-0042",
        patient: Patient(mrn: "MRN-000123", familyName: "Testperson", givenName: "Alex", birthDate: "19700315", sex: .female),
        procedureCode: "CXR2V",
        procedureName: "XR Chest 2 Views",
        procedureCodingSystem: "L",
        modality: "CR",
        orderingPhysician: "Dr Order",
        reasonForExam: "Cough"
    )

    /// 2025-01-02 10:00:00 UTC, the exam.
    static let examTime = Date(timeIntervalSince1970: 1_735_812_000)
    /// Forty-five minutes later, the status change.
    static let reportTime = examTime.addingTimeInterval(45 * 60)

    static let sections = [
        ReportSection(
            key: "findings",
            title: "Findings",
            loincCode: "18782-3",
            loincName: "Radiology Study observation (narrative)",
            text: "The lungs are clear.\n  No pleural effusion.\n\nHeart size normal."
        ),
        ReportSection(key: "technique", title: "Technique", loincCode: nil, loincName: nil, text: "PA and lateral views."),
        ReportSection(key: "comparison", title: "Comparison", loincCode: "18834-2", loincName: "Comparison", text: "  \n"),
        ReportSection(
            key: "impression",
            title: "Impression",
            loincCode: "19005-8",
            loincName: "Radiology Imaging study [Impression] (narrative)",
            text: "No acute cardiopulmonary disease."
        ),
    ]

    static func report(
        status: ReportStatus,
        signedBy: String? = nil,
        sections: [ReportSection] = sections,
        order: ImagingOrder = order
    ) -> ReportSnapshot {
        ReportSnapshot(
            order: order,
            status: status,
            sections: sections,
            signedBy: signedBy,
            statusChangedAt: reportTime,
            observedAt: examTime
        )
    }

    static let finalReport = report(status: .final, signedBy: "RAD042")
    static let draftReport = report(status: .draft)
    static let preliminaryReport = report(status: .preliminary)

    /// A builder with fixed settings and a fixed +01:00 zone, so output is the same on every machine.
    static let builder = ORUBuilderFixture.make()
}

import HL7

enum ORUBuilderFixture {
    static func make(maxLineLength: Int = 80, maxObservationLength: Int = 65_536) -> ORUBuilder {
        ORUBuilder(
            sendingApplication: "RADSCRIBE",
            sendingFacility: "RADIOLOGY",
            receivingApplication: "RIS",
            receivingFacility: "GENERAL_HOSPITAL",
            processingID: .training,
            characterSet: "UNICODE UTF-8",
            patientIDAuthority: "GH",
            timeZone: TimeZone(secondsFromGMT: 3600)!,
            maxLineLength: maxLineLength,
            maxObservationLength: maxObservationLength
        )
    }
}
