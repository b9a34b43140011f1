import Foundation

/// The provision each quote of the extractive answer is said under ("Article 6(4): ", "GOVERN 1.3: "), finer than
/// the chunk's section where the chunk holds several paragraphs or subcategories.
extension ExtractiveAnswerer {
    /// "Article 99(3): " for a passage with a short section label; nothing for none, the preamble or a long
    /// heading (which would read as part of the quote).
    static func label(of section: String?) -> String {
        guard let section = section?.trimmingCharacters(in: .whitespaces), !section.isEmpty,
            section != "Preamble", section.count <= 40
        else { return "" }
        return section + ": "
    }

    /// An article's label, with the paragraph the chunker started it at: "Article 26(6)" gives 26 and 6.
    private static let articleLabel = try! NSRegularExpression(pattern: #"^(Article \d{1,3}[a-z]?)(?:\((\d{1,3})\))?$"#)
    /// A subcategory's label opening a statement of the AI RMF's tables ("GOVERN 1.3: Processes, ...").
    private static let subcategoryOpening = try! NSRegularExpression(
        pattern: #"^(\#(ProvisionStatements.nistFunction) \d{1,2}\.\d{1,2}):\s*"#)
    /// A section of a US order, whose definitions are lettered: "Sec. 3".
    private static let orderSectionLabel = try! NSRegularExpression(pattern: #"^((?:Sec\.|Section) \d{1,3})$"#)
    /// A paragraph's number opening its first sentence ("4. A provider who considers ...").
    private static let paragraphNumber = try! NSRegularExpression(pattern: #"^(\d{1,3})\.\s"#)
    /// A definition's own number or letter ("(60) ‘deep fake’ means", "(k) The term “dual-use ...” means").
    private static let definitionNumber = try! NSRegularExpression(pattern: #"^\((\d{1,3}|[a-z]{1,3})\)\s"#)

    /// The label each of a passage's statements is quoted under, and whether the label carries the statement's
    /// own number. A chunk of an article carries the label of the paragraph it starts in ("Article 26(6)") or,
    /// when it starts at a heading, the article's ("Article 6"), though it may hold several paragraphs; so a
    /// statement is labelled with the paragraph it is in, as the text numbers them ("4." on its own line
    /// opens paragraph 4). A number counts only as the next paragraph (or, in a chunk whose paragraph is not
    /// known, as any): a stray "7." after paragraph 2 is not a paragraph. A definition in a definitions article or
    /// a US order's definitions section is cited with its own number: "Article 3(60)", "Sec. 3(k)".
    static func labels(
        of statements: [ProvisionStatement], section: String?
    ) -> [(text: String, numbersStatement: Bool)] {
        let plain = label(of: section)
        guard let section = section?.trimmingCharacters(in: .whitespaces) else {
            return statements.map { _ in (plain, false) }
        }
        let range = NSRange(section.startIndex..., in: section)
        if ProvisionStatements.subcategoryLabel(section) == section {
            return subcategoryLabels(of: statements, plain: plain)
        }
        func group(_ match: NSTextCheckingResult?, _ index: Int, in text: String) -> String? {
            guard let match, let found = Range(match.range(at: index), in: text) else { return nil }
            return String(text[found])
        }
        let article = articleLabel.firstMatch(in: section, range: range)
        let order = orderSectionLabel.firstMatch(in: section, range: range)
        guard let provision = group(article, 1, in: section) ?? group(order, 1, in: section) else {
            return statements.map { _ in (plain, false) }
        }
        var paragraph = group(article, 2, in: section).flatMap { Int($0) }
        return statements.map { statement in
            let text = statement.text
            let whole = NSRange(text.startIndex..., in: text)
            if article != nil, statement.kind != .point,
                let number = group(paragraphNumber.firstMatch(in: text, range: whole), 1, in: text).flatMap(Int.init),
                paragraph.map({ number == $0 + 1 }) ?? true
            {
                paragraph = number
            }
            // An article's points are lettered: only its numbered definitions are its own subdivisions.
            if definedTerm(text) != nil,
                let number = group(definitionNumber.firstMatch(in: text, range: whole), 1, in: text),
                article == nil || number.allSatisfy(\.isNumber)
            {
                return ("\(provision)(\(number)): ", true)
            }
            guard article != nil, let paragraph else { return (plain, false) }
            return ("\(provision)(\(paragraph)): ", false)
        }
    }

    /// The labels of a NIST AI RMF chunk's statements: a table chunk holds several subcategories under the first's
    /// label, so a statement opening with another's ("GOVERN 1.3: Processes, ...") is quoted under that one, as is
    /// what follows it up to the next. `numbersStatement` says the statement opens with its own label, which the
    /// answer then says once ("GOVERN 1.3: Processes, ..." rather than "GOVERN 1.3: GOVERN 1.3: Processes, ...").
    private static func subcategoryLabels(
        of statements: [ProvisionStatement], plain: String
    ) -> [(text: String, numbersStatement: Bool)] {
        var current = plain
        return statements.map { statement in
            if let opened = statement.opensUnder { current = opened + ": " }
            let text = statement.text
            let range = NSRange(text.startIndex..., in: text)
            guard let match = subcategoryOpening.firstMatch(in: text, range: range),
                let found = Range(match.range(at: 1), in: text)
            else { return (current, false) }
            current = text[found] + ": "
            return (current, true)
        }
    }
}
