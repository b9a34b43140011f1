import Foundation

/// Turns a `Document` into chunks: structure first (`StructureParser`), then packing to the encoder's window.
/// Units of one group (an article's paragraphs, a subcategory's actions) are packed together greedily; a unit
/// larger than the window is split at lines, then sentences, then words, with a small overlap between its
/// parts. A chunk never spans two groups, so never two articles or two recitals.
public struct Chunker: Sendable {
    /// Most word pieces of text per chunk: the encoder's 256 minus `[CLS]` and `[SEP]`.
    public var maxTokens: Int
    /// Word pieces repeated at the start of the next part when one unit must be split.
    public var overlapTokens: Int
    /// The most word pieces a chunk may hold when a heading joins the piece after it (see ``chunk(_:)``); at
    /// least `maxTokens`. Production packs text to 224 and keeps the rest of the encoder's 254 for a heading.
    public var windowTokens: Int

    /// The encoder's window in word pieces of text: 256 minus `[CLS]` and `[SEP]`.
    public static let encoderWindow = 254

    /// Raised whenever a change to the rules here or in `StructureParser` would cut the same text into other
    /// chunks, so data directories ingested before re-chunk their documents on the next ingest. 2: headings
    /// join the paragraph after them. 3: bare numbers split only before a heading title (margin line numbers
    /// and page numbers stay in their text), NIST AI 800-1 practices and appendices are sections. 4: CommonAccord
    /// prose objects (the OECD text) are read as their rendered text (a loader change: the file hash alone does
    /// not say the text changed, so the version does). 5: a text with no other structure takes its all-caps
    /// headings as sections (the Blueprint for an AI Bill of Rights' principles, `CapsHeadings`). 6: a lone
    /// "References" or "Bibliography" line in a text's second half heads its reference list (NIST SP 1270's).
    public static let rulesVersion = 6

    /// What decides how a document is cut: the rules' version and the budgets. Equal signatures give equal
    /// chunks for equal text.
    public var signature: String { "\(Self.rulesVersion)/\(maxTokens)/\(windowTokens)/\(overlapTokens)" }
    /// Counts word pieces; production passes the encoder's `WordPieceTokenizer`.
    public let counter: any TokenCounter

    /// A chunker for a window of `maxTokens` pieces of text (clamped to at least 8) with at most
    /// `overlapTokens` of overlap between the parts of a split unit (at most a quarter of the window).
    /// `windowTokens` defaults to `maxTokens`: a heading then joins the next piece only when both fit there.
    public init(
        counter: any TokenCounter, maxTokens: Int = encoderWindow, overlapTokens: Int = 32, windowTokens: Int? = nil
    ) {
        self.counter = counter
        self.maxTokens = max(8, maxTokens)
        self.overlapTokens = max(0, min(overlapTokens, maxTokens / 4))
        self.windowTokens = max(self.maxTokens, windowTokens ?? maxTokens)
    }

    /// A stretch of the document text with its token count.
    private struct Piece {
        var start: Int
        var end: Int
        var tokens: Int
        var unit: Int
        /// Part of a unit that had to be split: never merged with other pieces.
        var split: Bool
    }

    /// The chunks of `document`, in text order, with ordinals from 0.
    ///
    /// Headings never make a chunk of their own while text of their group follows: an article heading before a
    /// first paragraph too long to share a chunk with it joins that paragraph's first part as long as both fit
    /// in ``windowTokens``. A heading-only chunk ("CHAPTER II PROHIBITED AI PRACTICES Article 5 Prohibited AI
    /// practices") is short, so BM25 and the encoder both score it high for any question on its subject, and
    /// it then takes a place in the top five that says nothing (433 of the corpus's 3,085 chunks were under 200
    /// characters before this rule).
    public func chunk(_ document: Document) -> [Chunk] {
        let scalars = Array(document.text.unicodeScalars)
        func text(_ start: Int, _ end: Int) -> String {
            String(String.UnicodeScalarView(scalars[start..<end]))
        }
        let units = StructureParser.parse(document)
        var chunks: [Chunk] = []
        var index = 0
        while index < units.count {
            var last = index
            while last + 1 < units.count, units[last + 1].group == units[index].group { last += 1 }
            var pieces: [Piece] = []
            for unitIndex in index...last {
                pieces += split(units[unitIndex], index: unitIndex, scalars: scalars, text: text)
            }
            for run in pack(pieces, isHeading: { units[$0.unit].headingOnly }) {
                let start = run.first!.start
                let end = run.last!.end
                let body = text(start, end)
                let tokens = counter.count(body)
                guard tokens > 0 else { continue }
                let members = Set(run.map(\.unit)).sorted().map { units[$0] }
                // A heading joined to the text after it takes that text's label ("Article 5(1)").
                let texts = members.filter { !$0.headingOnly }
                let sections = Set((texts.isEmpty ? members : texts).map { $0.section ?? "" })
                let section = sections.count == 1 ? (texts.first ?? members[0]).section : members[0].groupSection
                let pages = document.pageRange(start: start, end: end)
                chunks.append(
                    Chunk(
                        documentID: document.id, ordinal: chunks.count, text: body, section: section,
                        headingPath: members[0].headingPath, pageStart: pages?.lowerBound, pageEnd: pages?.upperBound,
                        charStart: start, charEnd: end, tokenCount: tokens))
            }
            index = last + 1
        }
        return chunks
    }

    /// Greedy packing of consecutive whole units within one group; a run of headings only joins the next
    /// piece whenever the two fit in the window.
    private func pack(_ pieces: [Piece], isHeading: (Piece) -> Bool) -> [[Piece]] {
        var runs: [[Piece]] = []
        var run: [Piece] = []
        var total = 0
        for piece in pieces {
            let headingsOnly = !run.isEmpty && run.allSatisfy(isHeading)
            if headingsOnly, total + piece.tokens <= windowTokens {
                run.append(piece)
                total += piece.tokens
                continue
            }
            if !run.isEmpty, piece.split || run.last!.split || total + piece.tokens > maxTokens {
                runs.append(run)
                run = []
                total = 0
            }
            run.append(piece)
            total += piece.tokens
        }
        if !run.isEmpty { runs.append(run) }
        return runs
    }

    /// The unit as one piece, or as overlapping windows when it exceeds the budget.
    private func split(
        _ unit: StructuralUnit, index: Int, scalars: [Unicode.Scalar], text: (Int, Int) -> String
    ) -> [Piece] {
        let tokens = counter.count(text(unit.start, unit.end))
        guard tokens > 0 else { return [] }
        if tokens <= maxTokens {
            return [Piece(start: unit.start, end: unit.end, tokens: tokens, unit: index, split: false)]
        }
        var segments: [Piece] = []
        for (start, end) in boundaries(scalars, unit.start, unit.end, at: { $0 == "\n" }) {
            segments += fineSegments(start, end, scalars: scalars, index: index, text: text)
        }
        return windows(segments, index: index)
    }

    /// A line as sentence (or, failing that, word-window) segments that each fit the budget.
    private func fineSegments(
        _ start: Int, _ end: Int, scalars: [Unicode.Scalar], index: Int, text: (Int, Int) -> String
    ) -> [Piece] {
        let tokens = counter.count(text(start, end))
        if tokens == 0 { return [] }
        if tokens <= maxTokens { return [Piece(start: start, end: end, tokens: tokens, unit: index, split: true)] }
        var result: [Piece] = []
        for (sentenceStart, sentenceEnd) in sentences(scalars, start, end) {
            let count = counter.count(text(sentenceStart, sentenceEnd))
            if count == 0 { continue }
            if count <= maxTokens {
                result.append(Piece(start: sentenceStart, end: sentenceEnd, tokens: count, unit: index, split: true))
                continue
            }
            // One sentence over the whole window (a table row, a list without stops): words then.
            for (wordStart, wordEnd) in boundaries(scalars, sentenceStart, sentenceEnd, at: { $0 == " " }) {
                // A single "word" over the window (a long URL, a hash) is cut by scalars into fitting parts.
                var from = wordStart
                while from < wordEnd {
                    var cut = wordEnd
                    var count = counter.count(text(from, cut))
                    while count > maxTokens, cut - from > 1 {
                        cut = from + (cut - from) / 2
                        count = counter.count(text(from, cut))
                    }
                    if count > 0 {
                        result.append(Piece(start: from, end: cut, tokens: count, unit: index, split: true))
                    }
                    from = cut
                }
            }
        }
        return result
    }

    /// Packs segments into windows of at most `maxTokens`, each window after the first starting with the last
    /// `overlapTokens` worth of segments of the one before.
    private func windows(_ segments: [Piece], index: Int) -> [Piece] {
        var result: [Piece] = []
        var first = 0
        while first < segments.count {
            var last = first
            var total = segments[first].tokens
            while last + 1 < segments.count, total + segments[last + 1].tokens <= maxTokens {
                last += 1
                total += segments[last].tokens
            }
            result.append(
                Piece(start: segments[first].start, end: segments[last].end, tokens: total, unit: index, split: true))
            if last + 1 >= segments.count { break }
            // Step back over whole segments for the overlap, always moving forward by at least one.
            var next = last + 1
            var overlap = 0
            while next - 1 > first, overlap + segments[next - 1].tokens <= overlapTokens {
                next -= 1
                overlap += segments[next].tokens
            }
            first = next
        }
        return result
    }

    /// Ranges between separators, trimmed of spaces and newlines, empty ones dropped.
    private func boundaries(
        _ scalars: [Unicode.Scalar], _ start: Int, _ end: Int, at isSeparator: (Unicode.Scalar) -> Bool
    ) -> [(Int, Int)] {
        var result: [(Int, Int)] = []
        var from = start
        for position in start...end where position == end || isSeparator(scalars[position]) {
            var lower = from
            var upper = position
            while lower < upper, scalars[lower].properties.isWhitespace { lower += 1 }
            while upper > lower, scalars[upper - 1].properties.isWhitespace { upper -= 1 }
            if upper > lower { result.append((lower, upper)) }
            from = position + 1
        }
        return result
    }

    /// Sentence ranges: a break after `.`, `;`, `:`, `?` or `!` followed by a space.
    private func sentences(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> [(Int, Int)] {
        var result: [(Int, Int)] = []
        var from = start
        var position = start
        while position < end {
            let scalar = scalars[position]
            if ".;:?!".unicodeScalars.contains(scalar), position + 1 < end, scalars[position + 1] == " " {
                result.append((from, position + 1))
                from = position + 2
                position += 2
                continue
            }
            position += 1
        }
        if from < end { result.append((from, end)) }
        return result
    }
}
