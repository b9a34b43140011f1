import Foundation
import TextAnalysis

/// How well each statement answers a question, higher is better (the sentence encoder's cosine similarity).
public typealias StatementRelevance = @Sendable (_ question: String, _ statements: [String]) async throws -> [Double]

/// An answer made of source sentences, without a language model.
public struct ExtractiveAnswer: Sendable, Hashable {
    /// The chosen sentences, each followed by its `[n]`, one paragraph per provision (the passages of one article
    /// together, in its order); or ``ExtractiveAnswerer/noMatchText``.
    public var text: String
    /// The sources quoted, in order of appearance.
    public var citedSources: [Int]
    /// Whether any sentence matched the question well enough to be quoted.
    public var matched: Bool
}

/// The answer of ARCHITECTURE.md section 7 when no model is configured or the model is down: the sentences of the top
/// passages that share the most terms with the question, each with its citation.
///
/// Terms are the BM25 tokenizer's (lower-cased, accents folded, stopwords dropped, clause identifiers such
/// as `6(1)` and `article 6` kept whole) with question words and modal verbs dropped, and plural, `-ing`,
/// `-ed` and final-`e` endings cut so that "obligations" meets "obligation" and "required" meets "requires".
/// Identifiers weigh double. A sentence qualifies when it covers at least ``minimumCoverage`` of the
/// question's weight with at least two terms (one, for one-term questions).
public struct ExtractiveAnswerer: Sendable, Hashable {
    /// Sentences quoted at most.
    public var maxSentences: Int
    /// Passages looked at, from the top.
    public var maxPassages: Int
    /// Sentences quoted from one passage at most, so the answer draws on several where it can.
    public var maxSentencesPerPassage: Int
    /// The share of the question's term weight a sentence must cover.
    public var minimumCoverage: Double
    /// The learner-to-legal vocabulary retrieval expands questions with: a statement saying a rule's legal term
    /// ("interact directly with natural persons") covers the question's words that fired the rule ("chatbot"),
    /// so the provision retrieval found for an everyday word is also the one quoted.
    public var vocabulary: QueryVocabulary
    /// The document names retrieval reads in questions (``DocumentNames``): they say which document to look in,
    /// not what to quote from it. Left in, "What are the four functions of the NIST AI RMF?" scored every sentence
    /// saying "AI RMF" as covering most of the question, above the one that names the four functions.
    public var documentNames: DocumentNames

    public init(
        maxSentences: Int = 3, maxPassages: Int = 3, maxSentencesPerPassage: Int = 2, minimumCoverage: Double = 0.3,
        vocabulary: QueryVocabulary = QueryVocabulary(), documentNames: DocumentNames = DocumentNames()
    ) {
        self.maxSentences = maxSentences
        self.maxPassages = maxPassages
        self.maxSentencesPerPassage = maxSentencesPerPassage
        self.minimumCoverage = minimumCoverage
        self.vocabulary = vocabulary
        self.documentNames = documentNames
    }

    /// The share of a statement's score that comes from ``StatementRelevance`` when one is given.
    /// 0.3 was the best of 0.2-1.0 on the tune half of `fixtures/questions/learner.jsonl` (docs/BENCHMARKS.md).
    public var semanticWeight: Double = 0.3
    /// The cosine similarity at which a statement qualifies without sharing enough of the question's terms.
    /// all-MiniLM-L6-v2 gives unrelated sentences of one domain 0.1-0.3; 0.4 (of 0.3-0.6 tried) did best.
    public var semanticFloor: Double = 0.4

    /// What the answer says when no sentence qualifies.
    public static let noMatchText = "The sources do not appear to answer this question."

    /// Words that shape a question but say nothing about its subject; modal verbs are here because legal
    /// text uses "shall" and "may" in nearly every sentence.
    static let questionWords: Set<String> = [
        "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "does", "do", "did", "done",
        "can", "could", "would", "should", "shall", "must", "may", "might", "i", "me", "my", "we", "our", "you",
        "your", "please", "tell", "explain", "describe", "about", "any", "all", "some", "under", "according",
        "regarding", "there", "so", "not", "also", "other", "than",
    ]

    /// Characters of enumeration points quoted after a chosen lead-in, at most; the rest of the list is
    /// announced rather than cut mid-point.
    public static let listBudget = 1_600
    /// Said after a list cut at ``listBudget``.
    public static let listContinues = "(The list continues in the source.)"
    /// Stands where points of a quoted list are left out between two that are quoted.
    public static let omission = "…"

    private struct Candidate {
        var passageRank: Int
        var position: Int
        var number: Int
        var statement: ProvisionStatement
        var score: Double
        /// Whether the statement defines the term a what-is question asks about ("'AI system' means ...").
        var definesAskedTerm = false
    }

    /// Words that make a question ask what something is, so the sentence that defines it ("'X' means ...")
    /// is the answer.
    static let definitionCues = [
        "define", "definition", "meaning", "what is", "what are", "what does", "mean by", "meant by", "count as",
        "counts as", "who is", "who are",
    ]

    static func asksForDefinition(_ question: String) -> Bool {
        // "What exactly is a deepfake?" asks what "what is" asks.
        let lower = question.lowercased().replacingOccurrences(of: "what exactly ", with: "what ")
        return definitionCues.contains { lower.contains($0) }
    }

    /// Up to four plain words may qualify the term before "means" ("‘consent’ of the data subject means", GDPR
    /// Article 4(11)), as in the definitions lookup (`DefinitionLookup.defines(definitionText:)`).
    private static let definingSentence = try! NSRegularExpression(
        pattern: #"['‘"“]([^'’"”]{1,80})['’"”](?:\s+[A-Za-z]+){0,4}?\s+(?:means|refers to)\b"#)

    /// The term `text` defines ("‘AI system’ means ..." gives "AI system"), if it is a definition.
    static func definedTerm(_ text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = definingSentence.firstMatch(in: text, range: range),
            let term = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[term])
    }

    /// The words a question puts in quotes ("'provider'", "‘deep fake’", "“AI red-teaming”"), if any.
    static func quotedTerm(in question: String) -> String? {
        let pairs: [(Character, Character)] = [("'", "'"), ("‘", "’"), ("“", "”"), ("\"", "\"")]
        for (open, close) in pairs {
            // An apostrophe inside a word ("NIST's") opens nothing: the quote must follow a space or start the text.
            guard
                let start = question.indices.first(where: { index in
                    question[index] == open
                        && (index == question.startIndex || question[question.index(before: index)] == " ")
                })
            else { continue }
            let rest = question[question.index(after: start)...]
            guard let end = rest.firstIndex(of: close), end > rest.startIndex else { continue }
            return String(rest[..<end])
        }
        return nil
    }

    /// How much a statement answers a definition question: 1 when it defines a term all of whose words the
    /// question has ("define an AI system" and "‘AI system’ means"), or the term written as one word (a learner's
    /// "deepfake" for the AI Act's ‘deep fake’), 0.2 for another definition (a long definitions article defines
    /// dozens of terms that share the question's words), else 0.
    static func definitionBonus(_ text: String, questionTerms: Set<String>) -> Double {
        guard let term = definedTerm(text) else { return 0 }
        let words = terms(of: term)
        let closed = terms(of: term.filter { $0 != " " && $0 != "-" })
        let asked = [words, closed].contains { !$0.isEmpty && $0.isSubset(of: questionTerms) }
        return asked ? 1 : 0.2
    }

    /// Whether `text`, a statement of a glossary passage (its section says "Glossary"), is the entry of a term all
    /// of whose words the question has: after any page numbers of the entry before it ("8, 9 "), one to five
    /// words that are question terms and then the definition's capitalised first word ("8 automation complacency
    /// When humans over-rely ...", "Jailbreaking Methods that cause an AI model ..."). NIST's glossaries define
    /// so, never with "means", and the entry before the asked one often shares the statement.
    ///
    /// A definitions section written as "Term: text" (the OECD Recommendation's "AI system: An AI system is a
    /// machine-based system ...") has its entries so too; its section says "Definitions".
    static func isGlossaryEntry(_ text: String, section: String?, of questionTerms: Set<String>) -> Bool {
        guard let section = section?.lowercased(), section.contains("glossary") || section.contains("definition")
        else { return false }
        if let colon = text.firstIndex(of: ":"), text[text.index(after: colon)...].first == " " {
            let term = text[..<colon]
            let stems = terms(of: String(term))
            if (1...6).contains(term.split(separator: " ").count), !stems.isEmpty, stems.isSubset(of: questionTerms) {
                return true
            }
        }
        guard section.contains("glossary") else { return false }
        var words = text.split(separator: " ").map(String.init)
        while let first = words.first, first.allSatisfy({ $0.isNumber || $0 == "," }) { words.removeFirst() }
        // A capitalised term runs up to the definition's first word, the last of the opening capitalised words:
        // "Model Theft Unauthorized access ..." defines "Model Theft", not "Model".
        let capitalised = words.prefix(6).prefix { $0.first?.isUppercase == true }.count
        let lengths = capitalised >= 2 ? capitalised - 1...capitalised - 1 : 1...5
        for length in lengths where length < words.count {
            let term = words.prefix(length)
            let next = words[length]
            guard next.first?.isUppercase == true else { continue }
            // The question's own analysis, so that "Red-Teaming" meets the learner's "red-teaming".
            let stems = terms(of: term.joined(separator: " "))
            return !stems.isEmpty && stems.isSubset(of: questionTerms)
        }
        return false
    }

    /// Whether `question` names the provision `section` (or the provision holding it: "Article 5" for
    /// "Article 5(1)"): a label with a number, found as a whole in the question, case-insensitively.
    static func question(_ question: String, names section: String?) -> Bool {
        guard let section, section.contains(where: \.isNumber) else { return false }
        let root = ProvisionLabel.provision(of: section).lowercased()
        guard root.count >= 3, root.contains(where: \.isNumber) else { return false }
        let text = question.lowercased()
        var searchStart = text.startIndex
        while let found = text.range(of: root, range: searchStart..<text.endIndex) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            // "Article 5" is not named by "Article 50" or "Article 5.2"; "GOVERN 1.1?" still names GOVERN 1.1.
            let openBefore = before.map { !$0.isLetter && !$0.isNumber } ?? true
            let closedAfter = after.map { !$0.isLetter && !$0.isNumber && $0 != "." && $0 != "-" } ?? true
            let endsSentence = after == "." && text[found.upperBound...].dropFirst().allSatisfy(\.isWhitespace)
            if openBefore && (closedAfter || endsSentence) { return true }
            searchStart = found.upperBound
        }
        return false
    }

    /// The position of the lead-in that `position`'s point belongs to: the statement before the run of points
    /// that holds it, when that statement is a lead-in.
    static func leadInPosition(of position: Int, in statements: [ProvisionStatement]) -> Int? {
        var index = position - 1
        while index >= 0, statements[index].kind == .point { index -= 1 }
        return index >= 0 && statements[index].kind == .leadIn ? index : nil
    }

    /// The positions of the points nested under the point at `position` when it ends in a colon: "(k) The term
    /// ... means ..., such as by:" has "(i)", "(ii)" and "(iii)" before its sibling "(l)". The run ends at the
    /// first statement that is not a point, or at the point's next sibling: the next number after a numbered
    /// point ("(46)" after "(45)"), the next letter after a lettered one.
    static func nestedPoints(under position: Int, in statements: [ProvisionStatement]) -> Range<Int> {
        let parent = statements[position]
        guard parent.text.hasSuffix(":"), let own = ProvisionStatements.enumerator(of: parent.text) else {
            return position + 1..<position + 1
        }
        var end = position + 1
        while end < statements.count, statements[end].kind == .point,
            let enumerator = ProvisionStatements.enumerator(of: statements[end].text), !follows(enumerator, own)
        {
            end += 1
        }
        return position + 1..<end
    }

    /// The first of `positions` (points of `statements`, in order) that fit the ``listBudget`` together; always the
    /// first one, however long.
    static func withinBudget(_ positions: some Sequence<Int>, of statements: [ProvisionStatement]) -> [Int] {
        var used = 0
        var kept: [Int] = []
        for position in positions {
            let length = statements[position].text.count
            if used + length > listBudget, used > 0 { break }
            used += length
            kept.append(position)
        }
        return kept
    }

    /// Whether `enumerator` is a sibling after `parent`: any number after a number (a numbered point's own points
    /// are lettered), the next letter after a single letter (its own points may be roman numerals, "(i)").
    private static func follows(_ enumerator: String, _ parent: String) -> Bool {
        if let parentNumber = Int(parent) { return Int(enumerator).map { $0 > parentNumber } ?? false }
        guard parent.count == 1, enumerator.count == 1, let p = parent.unicodeScalars.first,
            let e = enumerator.unicodeScalars.first
        else { return false }
        return e.value == p.value + 1
    }

    /// The extractive answer to `question` from `passages` (given best first).
    ///
    /// Statements (``ProvisionStatements``: headings removed, cut-off sentence starts dropped, lists cut into
    /// lead-in and points) qualify by the share of the question's term weight they cover. A definition
    /// question puts defining statements first. A chosen lead-in brings its points with it, up to
    /// ``listBudget``. When no statement covers enough, the best statements sharing any term with the question
    /// are quoted, the top passage's first: a passage retrieval put first is not answered with "the sources do
    /// not answer" while it says something about the question. Each passage's quotes start with its section
    /// ("Article 99(3): ...") so the reader sees which provision states the rule.
    public func answer(question: String, passages: [Passage]) -> ExtractiveAnswer {
        let considered = Array(passages.prefix(maxPassages))
        let statements = considered.map { ProvisionStatements.statements(of: $0.text) }
        return answer(question: question, considered: considered, statements: statements, similarity: nil)
    }

    /// The extractive answer with each statement also scored by `relevance` (the sentence encoder's cosine
    /// similarity to the question), so that a statement answering in the text's words rather than the
    /// learner's ("subliminal techniques" for "hidden psychological tricks") can be chosen. When `relevance`
    /// fails, the answer is the lexical one: the encoder is an aid, never a new way to fail.
    public func answer(
        question: String, passages: [Passage], relevance: StatementRelevance
    ) async -> ExtractiveAnswer {
        let considered = Array(passages.prefix(maxPassages))
        let statements = considered.map { ProvisionStatements.statements(of: $0.text) }
        // Only statements that may be quoted are scored: the encoder's time grows with the text it reads.
        let scored = statements.map { $0.map { Self.quotable($0.text) } }
        let texts = zip(statements, scored).flatMap { passage, quotable in
            zip(passage, quotable).compactMap { $1 ? $0.text : nil }
        }
        guard !texts.isEmpty, let scores = try? await relevance(question, texts), scores.count == texts.count else {
            return answer(question: question, considered: considered, statements: statements, similarity: nil)
        }
        var similarity: [[Double]] = []
        var next = scores.makeIterator()
        for quotable in scored {
            similarity.append(quotable.map { $0 ? next.next()! : 0 })
        }
        return answer(question: question, considered: considered, statements: statements, similarity: similarity)
    }

    private func answer(
        question: String, considered: [Passage], statements: [[ProvisionStatement]], similarity: [[Double]]?
    ) -> ExtractiveAnswer {
        let weights = Self.weightedTerms(of: documentNames.removingNames(from: question))
        // A term the learner quotes is the one asked about ("Who is the 'provider' of an AI system?" does not ask
        // what an AI system is).
        let questionTerms =
            Self.quotedTerm(in: question).map(Self.terms(of:)).flatMap { $0.isEmpty ? nil : $0 }
            ?? Set(weights.keys)
        let totalWeight = weights.values.reduce(0, +)
        let wantsDefinition = Self.asksForDefinition(question)
        let synonyms = Self.synonyms(in: question, weights: weights, vocabulary: vocabulary)
        var candidates: [Candidate] = []
        var fallback: [Candidate] = []
        if totalWeight > 0 {
            for (rank, passage) in considered.enumerated() {
                // The learner named this provision ("What does GOVERN 1.1 ask ..."): its text answers even
                // where it shares no other word with the question.
                let named = Self.question(question, names: passage.section)
                for (position, statement) in statements[rank].enumerated() {
                    guard Self.quotable(statement.text) else { continue }
                    let terms = Self.terms(of: statement.text)
                    var shared = Set(weights.keys.filter(terms.contains))
                    for synonym in synonyms where synonym.legal.contains(where: { $0.isSubset(of: terms) }) {
                        shared.formUnion(synonym.covers)
                    }
                    // Named alone, a statement must open like one: a lower-case start is a piece of a table cell or
                    // of a sentence the layout broke.
                    let opensLikeOne = statement.text.first.map { $0.isUppercase || $0 == "(" } ?? false
                    let cosine = similarity?[rank][position]
                    let close = (cosine ?? 0) >= semanticFloor
                    guard !shared.isEmpty || (named && opensLikeOne) || close else { continue }
                    var coverage = shared.reduce(0) { $0 + weights[$1]! } / totalWeight
                    if named { coverage = max(coverage, minimumCoverage) }
                    var match = coverage
                    if let cosine { match = (1 - semanticWeight) * coverage + semanticWeight * cosine }
                    // Earlier passages ranked higher in retrieval: a small preference breaks near-ties.
                    var score = match * (1 - 0.05 * Double(rank))
                    var bonus =
                        wantsDefinition ? Self.definitionBonus(statement.text, questionTerms: questionTerms) : 0
                    if wantsDefinition, bonus < 1,
                        Self.isGlossaryEntry(statement.text, section: passage.section, of: questionTerms)
                    {
                        bonus = 1
                    }
                    score += bonus
                    let candidate = Candidate(
                        passageRank: rank, position: position, number: passage.number, statement: statement,
                        score: score, definesAskedTerm: bonus >= 1)
                    if named || close || (shared.count >= min(2, weights.count) && coverage >= minimumCoverage) {
                        candidates.append(candidate)
                    } else {
                        fallback.append(candidate)
                    }
                }
            }
        }
        if candidates.isEmpty {
            // Nothing covers enough of the question: the passages retrieval ranked first still say something
            // about it, so quote their best statements rather than claim the sources are silent.
            candidates = fallback.sorted { ($0.passageRank, -$0.score) < ($1.passageRank, -$1.score) }
                .prefix(2).map { $0 }
        }
        candidates.sort { ($0.score, -$0.passageRank, -$0.position) > ($1.score, -$1.passageRank, -$1.position) }
        // When a statement defines exactly what was asked, the definition is the answer: the other terms of
        // the same definitions article would only bury it. Without one, "what is the maximum fine" is answered
        // like any question: its answer may well be a lead-in with its list.
        let definitionFound = candidates.contains(where: \.definesAskedTerm)
        if definitionFound { candidates = candidates.filter(\.definesAskedTerm) }
        var chosen: [Candidate] = []
        var perPassage: [Int: Int] = [:]
        var said: [String] = []
        for candidate in candidates where chosen.count < maxSentences {
            guard perPassage[candidate.passageRank, default: 0] < maxSentencesPerPassage else { continue }
            if definitionFound, candidate.statement.kind == .leadIn { continue }
            // Overlapping chunks, and a document that repeats itself (the Blueprint states each principle twice),
            // hand the same statement over in two passages: it is said once, and its place goes to another.
            let key = Self.comparable(candidate.statement.text)
            if said.contains(where: { Self.restates($0, key) }) { continue }
            said.append(key)
            perPassage[candidate.passageRank, default: 0] += 1
            chosen.append(candidate)
        }
        guard !chosen.isEmpty else { return ExtractiveAnswer(text: Self.noMatchText, citedSources: [], matched: false) }
        // Quoted in source order, so sentences of one passage read as they were written.
        chosen.sort { ($0.passageRank, $0.position) < ($1.passageRank, $1.position) }
        let labels = zip(considered, statements).map { Self.labels(of: $1, section: $0.section) }
        var quotes: [Quote] = []
        for candidate in chosen {
            let rank = candidate.passageRank
            let number = candidate.number
            func quoted(_ position: Int) -> Bool { quotes.contains { $0.rank == rank && $0.position == position } }
            guard !quoted(candidate.position) else { continue }
            let statement = candidate.statement
            let passageStatements = statements[rank]
            // The list is the answer: a chosen lead-in brings its points, and a chosen point its lead-in and the
            // points around it, since "(a) the placing on the market of an AI system that ..." is a prohibition
            // only under "The following AI practices shall be prohibited:". A definition is whole on its own,
            // under "the following definitions apply:" or not.
            var leadIn: Int?
            switch statement.kind {
            case .leadIn: leadIn = candidate.position
            case .point: leadIn = Self.leadInPosition(of: candidate.position, in: passageStatements)
            case .sentence: leadIn = nil
            }
            if definitionFound { leadIn = nil }
            let label = labels[rank]
            guard let leadIn, !quoted(leadIn) else {
                // A point of a list already quoted from its lead-in joins that list, under the lead-in's label.
                let list = leadIn.flatMap { quoted($0) && statement.kind == .point ? $0 : nil }
                let own = label[list ?? candidate.position]
                // A point keeps its "(a)" unless its label now carries its number ("Article 3(60): ‘deep fake’").
                let keepsEnumerator = statement.kind == .point && !(list == nil && own.numbersStatement)
                let text = keepsEnumerator ? statement.text : Self.withoutEnumerator(statement.text)
                quotes.append(
                    Quote(
                        rank: rank, position: candidate.position, text: text, number: number, list: list,
                        label: own.text))
                // A point that ends in a colon (a definition, "‘serious incident’ means ... any of the following:")
                // is said by its own points; they are quoted under its label.
                let nested = Self.nestedPoints(under: candidate.position, in: passageStatements).filter { !quoted($0) }
                for position in Self.withinBudget(nested, of: passageStatements) {
                    quotes.append(
                        Quote(rank: rank, position: position, text: passageStatements[position].text, number: number))
                }
                continue
            }
            let leadInText = Self.withoutEnumerator(passageStatements[leadIn].text)
            quotes.append(
                Quote(
                    rank: rank, position: leadIn, text: leadInText, number: number, list: nil, label: label[leadIn].text
                ))
            let points = (leadIn + 1..<passageStatements.count).prefix { passageStatements[$0].kind == .point }
            let fitting = Self.withinBudget(points, of: passageStatements)
            for position in fitting {
                quotes.append(
                    Quote(
                        rank: rank, position: position, text: passageStatements[position].text, number: number,
                        list: leadIn, label: label[leadIn].text))
            }
            // The point that was asked about, when the budget ended the list before it.
            if candidate.position > fitting.last ?? leadIn {
                quotes.append(
                    Quote(
                        rank: rank, position: candidate.position, text: statement.text, number: number, list: leadIn,
                        label: label[leadIn].text))
            }
        }
        quotes = Self.inSourceOrder(quotes, statements: statements, passages: considered)
        var paragraphs: [String] = []
        var cited: [Int] = []
        var previous: (rank: Int, label: String)?
        for quote in quotes {
            // The source's own bracketed references ("... an initially presented value [79].") would read as the
            // answer's markers, naming sources it does not have.
            let said = ReferenceEntries.withoutBracketedReferences(quote.text)
            var text = quote.number.map { said + " [\($0)]" } ?? said
            // A passage's quotes are one paragraph; its label is said again where a quote is in another of the
            // provision's paragraphs ("Article 6(4): ... Article 6(5): ...").
            let label = quote.label ?? previous?.label ?? ""
            // A statement that opens with its own label ("Practice 1.1: Identify ...", an AI RMF table row's
            // "GOVERN 1.3: Processes ...") says it once.
            if !label.isEmpty, text.hasPrefix(label), text.count > label.count { text.removeFirst(label.count) }
            // So does one that opens with its section's title, which the layout ran into its first sentence
            // ("2.5 Environmental Impacts: Environmental Impacts Training, maintaining, ...").
            if let title = Self.title(ofLabel: label), text.hasPrefix(title + " "),
                let next = text.dropFirst(title.count + 1).first, next.isUppercase || "“\"‘".contains(next)
            {
                text.removeFirst(title.count + 1)
            }
            // One paragraph per provision: the quotes of two passages of one article read as one.
            if let previous,
                quote.rank == previous.rank || Self.sameProvision(considered[quote.rank], considered[previous.rank])
            {
                paragraphs[paragraphs.count - 1] += " " + (label == previous.label ? "" : label) + text
            } else {
                paragraphs.append(label + text)
            }
            previous = (quote.rank, label)
            let number = considered[quote.rank].number
            if !cited.contains(number) { cited.append(number) }
        }
        return ExtractiveAnswer(text: paragraphs.joined(separator: "\n\n"), citedSources: cited, matched: true)
    }

    /// Whether a statement is long enough to quote: three words or fewer are a heading or a stray label.
    static func quotable(_ text: String) -> Bool {
        text.split(separator: " ").count >= 4 && !ReferenceEntries.isReference(text) && !isTitleLike(text)
            && !isCaption(text)
    }

    /// The title in a label ("Environmental Impacts" in "2.5 Environmental Impacts: "), when it has a numbered one.
    static func title(ofLabel label: String) -> String? {
        guard label.hasSuffix(": "), let space = label.firstIndex(of: " "),
            label[..<space].allSatisfy({ $0.isNumber || $0 == "." }), label.first?.isNumber == true
        else { return nil }
        let title = label[label.index(after: space)...].dropLast(2)
        return title.isEmpty ? nil : String(title)
    }

    /// `statement` as two copies of it compare: without its enumerator, lower-cased, spaces collapsed.
    static func comparable(_ statement: String) -> String {
        withoutEnumerator(statement).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether two ``comparable(_:)`` statements say the same: one holds the other, or nine in ten of their words
    /// are shared (the AI RMF's "... and can fail safely" and its Playbook's "... and it can fail safely").
    static func restates(_ first: String, _ second: String) -> Bool {
        if first.contains(second) || second.contains(first) { return true }
        let a = Set(first.split(separator: " "))
        let b = Set(second.split(separator: " "))
        return Double(a.intersection(b).count) >= 0.9 * Double(max(a.count, b.count))
    }

    /// A table's or figure's caption ("Table 2: Categories and subcategories for the MAP function."), which says
    /// what a table holds, not what the text says.
    static func isCaption(_ text: String) -> Bool {
        let words = text.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, ["Table", "Figure"].contains(words[0]) else { return false }
        let number = words[1].dropLast()
        return [":", "."].contains(words[1].last) && !number.isEmpty && number.allSatisfy(\.isNumber)
    }

    /// A title rather than a statement: seven in ten of its words start with a capital, and it does not end like a
    /// sentence or clause (a report's running title, "Managing Misuse Risk for Dual-Use Foundation Models U.S. AI
    /// Safety Institute", on every page of NIST AI 800-1), or it ends in a full stop but is short (a section title,
    /// "Artificial Intelligence Action Plan.", or the title of a work in a reading list).
    static func isTitleLike(_ text: String) -> Bool {
        guard let last = text.last, !";:?!)\"”’…".contains(last) else { return false }
        let words = text.split(separator: " ").filter { $0.contains(where: \.isLetter) }
        guard !words.isEmpty, last != "." || words.count <= 16 else { return false }
        let capitalised = words.filter { $0.first?.isUppercase == true }.count
        return Double(capitalised) >= 0.7 * Double(words.count)
    }

    static func continuesList(_ point: String) -> Bool {
        point.hasSuffix(";") || point.hasSuffix("; or") || point.hasSuffix("; and") || point.hasSuffix(",")
    }

    /// A list enumerator opening a sentence ("1. ", "(2) ", "(a) "), which means nothing once quoted alone.
    private static let enumerator = try! NSRegularExpression(pattern: #"^(?:\d{1,3}\.|\(\d{1,3}\)|\([a-z]{1,4}\))\s+"#)

    static func withoutEnumerator(_ sentence: String) -> String {
        let range = NSRange(sentence.startIndex..., in: sentence)
        guard let match = enumerator.firstMatch(in: sentence, range: range), let cut = Range(match.range, in: sentence),
            cut.upperBound < sentence.endIndex
        else { return sentence }
        let rest = sentence[cut.upperBound...]
        return rest.prefix(1).uppercased() + rest.dropFirst()
    }

    /// The vocabulary rules `question` fires, each as the question terms its phrase stands for and the term sets
    /// of its legal alternatives (a statement holding all terms of one alternative says what the phrase means).
    static func synonyms(
        in question: String, weights: [String: Double], vocabulary: QueryVocabulary
    ) -> [(covers: Set<String>, legal: [Set<String>])] {
        vocabulary.rules(firingOn: question).compactMap { rule in
            let phrase = rule.phrase.hasSuffix("*") ? String(rule.phrase.dropLast()) : rule.phrase
            // The question's own terms the phrase matched: a phrase word, or a word it starts ("chatbot*").
            let words = Tokenizer(stemming: false).tokens(phrase).map(stem)
            let covers = Set(
                weights.keys.filter { term in words.contains { term == $0 || term.hasPrefix($0) } })
            let legal = rule.terms.map(terms(of:)).filter { !$0.isEmpty }
            guard !covers.isEmpty, !legal.isEmpty else { return nil }
            return (covers, legal)
        }
    }

    /// The question's terms with their weights: 2 for identifiers (with a digit or a space), else 1.
    static func weightedTerms(of question: String) -> [String: Double] {
        var weights: [String: Double] = [:]
        for term in Set(Tokenizer(stemming: false).tokens(question).filter { !questionWords.contains($0) }.map(stem)) {
            weights[term] = term.contains(where: { $0.isNumber || $0 == " " }) ? 2 : 1
        }
        return weights
    }

    /// The stemmed BM25 terms of `text` (BM25's tokens as written, then this type's own lighter stemmer).
    static func terms(of text: String) -> Set<String> {
        Set(Tokenizer(stemming: false).tokens(text).map(stem))
    }

    /// A light English stemmer for plain lower-case words; identifiers pass unchanged.
    static func stem(_ word: String) -> String {
        guard word.count > 3, word.allSatisfy({ $0.isLetter }) else { return word }
        var stem = word
        if stem.hasSuffix("ies") && stem.count > 4 {
            stem = String(stem.dropLast(3)) + "y"
        } else if stem.hasSuffix("sses") {
            stem = String(stem.dropLast(2))
        } else if stem.hasSuffix("s") && !stem.hasSuffix("ss") && !stem.hasSuffix("us") && !stem.hasSuffix("is") {
            stem = String(stem.dropLast())
        }
        for suffix in ["ing", "ed"] where stem.hasSuffix(suffix) && stem.count - suffix.count >= 4 {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        if stem.hasSuffix("e") && stem.count > 4 { stem = String(stem.dropLast()) }
        return stem
    }
}
