import AudioCapture
import RadScribeCore
import ReportTemplates
import SpeechRecognition

// Errors of the modules the live dictation uses whose descriptions are meant for the radiologist (a missing
// capture device, a broken template, a missing word): the workstation shows them as they are.
extension AudioError: UserFacingError {}
extension RecognitionError: UserFacingError {}
extension TemplateError: UserFacingError {}
extension CLIError: UserFacingError {}
