import RadScribeCore
import Testing

/// The lifecycle table and the role rules, as a specification written out independently of the code.
@Suite("Report lifecycle rules")
struct ReportLifecycleTests {
    /// Every legal move: status → action → next status. Everything else must be refused.
    static let legal: [ReportStatus: [ReportAction: ReportStatus]] = [
        .scheduled: [.beginDictation: .dictating, .saveDraft: .draft, .cancel: .cancelled],
        .dictating: [.beginDictation: .dictating, .saveDraft: .draft, .cancel: .cancelled],
        .draft: [
            .beginDictation: .dictating, .saveDraft: .draft, .requestCorrection: .pendingCorrection,
            .signPreliminary: .preliminary, .signFinal: .final, .cancel: .cancelled,
        ],
        .pendingCorrection: [.correct: .correctedDraft, .cancel: .cancelled],
        .correctedDraft: [
            .correct: .correctedDraft, .saveDraft: .draft, .requestCorrection: .pendingCorrection,
            .signPreliminary: .preliminary, .signFinal: .final, .cancel: .cancelled,
        ],
        .preliminary: [.saveDraft: .preliminary, .signFinal: .final, .cancel: .cancelled],
        .final: [.addendum: .addended, .correction: .corrected, .cancel: .cancelled],
        .addended: [.addendum: .addended, .correction: .corrected, .cancel: .cancelled],
        .corrected: [.addendum: .addended, .correction: .corrected, .cancel: .cancelled],
        .cancelled: [:],
    ]

    @Test(
        "each transition is allowed or refused as specified (attending, who may take every action)",
        arguments: ReportStatus.allCases, ReportAction.allCases
    )
    func transition(status: ReportStatus, action: ReportAction) throws {
        let expected = action == .view || action == .export ? status : Self.legal[status]?[action]
        if let expected {
            #expect(try ReportLifecycle.authorize(action, by: .radiologist, from: status) == expected)
        } else {
            let refusal = try #require(throws: LifecycleRefusal.self) {
                try ReportLifecycle.authorize(action, by: .radiologist, from: status)
            }
            #expect(refusal.kind == .illegalTransition)
            #expect(!refusal.reason.isEmpty)
        }
    }

    /// Which roles may take each action on a report whose status allows it.
    static let permitted: [ReportAction: Set<UserRole>] = [
        .beginDictation: [.radiologist, .resident],
        .saveDraft: [.radiologist, .resident, .transcriptionist],
        .requestCorrection: [.radiologist, .resident],
        .correct: [.radiologist, .resident, .transcriptionist],
        .signPreliminary: [.radiologist, .resident],
        .signFinal: [.radiologist],
        .addendum: [.radiologist],
        .correction: [.radiologist],
        .cancel: [.radiologist, .administrator, .interface],
        .view: Set(UserRole.allCases),
        .export: Set(UserRole.allCases),
    ]

    @Test("each role may take exactly its actions", arguments: UserRole.allCases, ReportAction.allCases)
    func roles(role: UserRole, action: ReportAction) throws {
        // A status where the action is legal, so only the role decides.
        let status = ReportStatus.allCases.first { ReportLifecycle.target(of: action, from: $0) != nil && $0 != .preliminary }
        let from = try #require(status)
        if Self.permitted[action, default: []].contains(role) {
            #expect(throws: Never.self) { try ReportLifecycle.authorize(action, by: role, from: from) }
        } else {
            let refusal = try #require(throws: LifecycleRefusal.self) {
                try ReportLifecycle.authorize(action, by: role, from: from)
            }
            #expect(refusal.kind == .notPermitted)
            #expect(refusal.reason.contains(role.rawValue))
        }
    }

    @Test("a transcriptionist can edit a draft but never sign; a resident signs preliminary, an attending final")
    func signing() throws {
        #expect(try ReportLifecycle.authorize(.saveDraft, by: .transcriptionist, from: .draft) == .draft)
        for action in [ReportAction.signPreliminary, .signFinal] {
            #expect(throws: LifecycleRefusal.self) { try ReportLifecycle.authorize(action, by: .transcriptionist, from: .draft) }
        }
        #expect(ReportLifecycle.signingAction(for: .resident, preliminary: false) == .signPreliminary)
        #expect(ReportLifecycle.signingAction(for: .radiologist, preliminary: false) == .signFinal)
        #expect(ReportLifecycle.signingAction(for: .radiologist, preliminary: true) == .signPreliminary)
        // Only an attending edits a resident's preliminary report.
        #expect(throws: LifecycleRefusal.self) { try ReportLifecycle.authorize(.saveDraft, by: .resident, from: .preliminary) }
        #expect(try ReportLifecycle.authorize(.saveDraft, by: .radiologist, from: .preliminary) == .preliminary)
    }

    @Test("a final report is never edited in place; the refusal says to add an addendum or a correction")
    func finalIsFrozen() throws {
        let refusal = try #require(throws: LifecycleRefusal.self) {
            try ReportLifecycle.authorize(.saveDraft, by: .radiologist, from: .final)
        }
        #expect(refusal.reason.contains("addendum"))
    }

    @Test("HL7 result status: P before final, F final, C addended or corrected, X cancelled")
    func resultStatus() {
        #expect(ReportStatus.allCases.map(\.hl7ResultStatus) == ["P", "P", "P", "P", "P", "P", "F", "C", "C", "X"])
        let notifying = ReportAction.allCases.filter(ReportLifecycle.notifiesRIS)
        #expect(Set(notifying) == [.signPreliminary, .signFinal, .addendum, .correction, .cancel])
    }
}
