internal import CLibXML2
import Foundation

/// One complaint libxml2 made while parsing (a repair it performed or a construct it did not know).
struct ParserDiagnostic: Sendable, Hashable {
    /// libxml2's `xmlParserErrors` code.
    var code: Int32
    /// 1-based line in the parsed text, 0 when unknown.
    var line: Int
    var message: String
}

/// An HTML document parsed by libxml2's lenient HTML parser; owns the `xmlDoc` and frees it in `deinit`.
///
/// Not thread-safe: confine an instance (and the ``HTMLNode`` values that keep it alive) to one task.
final class HTMLDocument {
    /// The options every parse uses: repair what can be repaired, stay silent on stderr, never touch the network.
    private static let options = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue
    )

    /// `xmlInitParser` must run once before parsers are used from several threads.
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    private let raw: htmlDocPtr
    /// What libxml2 reported while parsing, in order.
    let diagnostics: [ParserDiagnostic]

    /// Parses `text`; returns nil only when libxml2 produced no document at all.
    init?(parsing text: String) {
        _ = Self.initialized
        let collector = DiagnosticCollector()
        let parsed: htmlDocPtr? = collector.collecting {
            var bytes = Array(text.utf8)
            if bytes.isEmpty { bytes = [0x20] }
            let count = Int32(clamping: bytes.count)
            return bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                    htmlReadMemory(pointer, count, nil, "UTF-8", Self.options)
                }
            }
        }
        guard let parsed else { return nil }
        raw = parsed
        diagnostics = collector.diagnostics
    }

    deinit {
        xmlFreeDoc(raw)
    }

    /// The `<html>` element (libxml2 always creates one for non-empty input).
    var rootElement: HTMLNode? {
        guard let node = xmlDocGetRootElement(raw) else { return nil }
        return HTMLNode(document: self, raw: node)
    }
}

@available(*, unavailable)
extension HTMLDocument: Sendable {}

/// An element or text node inside an ``HTMLDocument``; keeps its document alive.
struct HTMLNode {
    let document: HTMLDocument
    let raw: xmlNodePtr

    var isElement: Bool { raw.pointee.type == XML_ELEMENT_NODE }

    /// Lowercased tag name (libxml2's HTML parser lowercases already; XML-ish names are kept as written).
    var name: String {
        guard let name = raw.pointee.name else { return "" }
        return String(cString: name).lowercased()
    }

    /// 1-based source line of the node, 0 when unknown.
    var line: Int { Int(xmlGetLineNo(raw)) }

    /// Child element nodes in document order.
    var children: [HTMLNode] {
        var result: [HTMLNode] = []
        var child = raw.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE { result.append(HTMLNode(document: document, raw: node)) }
            child = node.pointee.next
        }
        return result
    }

    /// Every child node (elements, text, CDATA, comments) in document order.
    var childNodes: [HTMLNode] {
        var result: [HTMLNode] = []
        var child = raw.pointee.children
        while let node = child {
            result.append(HTMLNode(document: document, raw: node))
            child = node.pointee.next
        }
        return result
    }

    var parent: HTMLNode? {
        guard let parent = raw.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return HTMLNode(document: document, raw: parent)
    }

    /// Element siblings before this node, nearest first.
    var previousElementSiblings: [HTMLNode] {
        var result: [HTMLNode] = []
        var sibling = raw.pointee.prev
        while let node = sibling {
            if node.pointee.type == XML_ELEMENT_NODE { result.append(HTMLNode(document: document, raw: node)) }
            sibling = node.pointee.prev
        }
        return result
    }

    /// Whether this is a text or CDATA node.
    var isText: Bool { raw.pointee.type == XML_TEXT_NODE || raw.pointee.type == XML_CDATA_SECTION_NODE }

    /// The concatenated text of this node and its descendants (entities already decoded).
    var textContent: String {
        var result = ""
        Self.appendText(of: raw, to: &result)
        return result
    }

    private static func appendText(of node: xmlNodePtr, to result: inout String) {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { result += String(cString: content) }
        case XML_ELEMENT_NODE:
            var child = node.pointee.children
            while let next = child {
                appendText(of: next, to: &result)
                child = next.pointee.next
            }
        default:
            break
        }
    }

    /// The value of an attribute, matched case-insensitively; nil when absent.
    func attribute(_ name: String) -> String? {
        let wanted = name.lowercased()
        var property = raw.pointee.properties
        while let attr = property {
            if let attrName = attr.pointee.name, String(cString: attrName).lowercased() == wanted {
                var value = ""
                var child = attr.pointee.children
                while let text = child {
                    if let content = text.pointee.content { value += String(cString: content) }
                    child = text.pointee.next
                }
                return value
            }
            property = attr.pointee.next
        }
        return nil
    }

    /// Whether the attribute is present at all (HTML boolean attributes such as `multiple`).
    func hasAttribute(_ name: String) -> Bool { attribute(name) != nil }

    /// Descendant elements in document order (depth first), optionally pruning below matching elements.
    func descendants(where predicate: (HTMLNode) -> Bool) -> [HTMLNode] {
        var result: [HTMLNode] = []
        for child in children {
            if predicate(child) { result.append(child) }
            result += child.descendants(where: predicate)
        }
        return result
    }

    /// The first descendant element with this tag name.
    func firstDescendant(named name: String) -> HTMLNode? {
        for child in children {
            if child.name == name { return child }
            if let found = child.firstDescendant(named: name) { return found }
        }
        return nil
    }
}

/// Collects libxml2's structured errors for the duration of one parse on the current thread.
///
/// libxml2 2.9 keeps the structured error handler per thread, so installing it around a synchronous
/// parse does not disturb parses on other threads. The previous handler is restored afterwards.
private final class DiagnosticCollector {
    var diagnostics: [ParserDiagnostic] = []

    func collecting<T>(_ body: () -> T) -> T {
        let savedHandler = __xmlStructuredError().pointee
        let savedContext = __xmlStructuredErrorContext().pointee
        let context = Unmanaged.passUnretained(self).toOpaque()
        xmlSetStructuredErrorFunc(context) { context, error in
            guard let context, let error else { return }
            let collector = Unmanaged<DiagnosticCollector>.fromOpaque(context).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
            collector.diagnostics.append(
                ParserDiagnostic(
                    code: error.pointee.code,
                    line: Int(error.pointee.line),
                    message: message.trimmingCharacters(in: .whitespacesAndNewlines)
                )
            )
        }
        defer { xmlSetStructuredErrorFunc(savedContext, savedHandler) }
        return withExtendedLifetime(self) { body() }
    }
}
