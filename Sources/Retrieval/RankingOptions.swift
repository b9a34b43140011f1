import Foundation
import TextAnalysis

/// How a hybrid search orders the fused candidates beyond plain reciprocal-rank fusion: fusion weights and the
/// structure-aware priors that prefer the operative text of governance documents. Every prior keys on section
/// labels, document ids or vocabulary that only governance texts carry, so on other collections (SciFact) the
/// ranking is plain RRF. ``plain`` turns everything off.
public struct RankingOptions: Sendable, Equatable {
    /// The RRF constant `k` of `1 / (k + rank)`.
    public var fusionK: Double
    /// Weight of the dense list in the fusion (the lexical list weighs 1).
    public var denseWeight: Double
    /// Fused score multiplier for recitals (sections "Recital N") unless the question asks why: recitals are
    /// the non-binding reasons, paraphrasing the articles a learner asks about. 1 turns it off.
    public var recitalFactor: Double
    /// Fused score multiplier for the documents a question names ("according to the OECD", "under GDPR").
    /// 1 turns it off.
    public var namedDocumentFactor: Double
    /// Fused score multiplier for articles and annexes (sections "Article N...", "Annex ...") when the question
    /// asks what the law allows, bans or requires (``LegalQuestionCues``); only the named documents' when the
    /// question names any (``namedDocumentFactor``). 1 turns it off.
    public var obligationFactor: Double = 1
    /// Fused score multiplier for passages stating a quantity of the kind the question asks for (an amount of
    /// money, a period, a date: ``AnswerType``). 1 turns it off.
    public var answerTypeFactor: Double = 1
    /// Document names to recognise in questions, for ``namedDocumentFactor``.
    public var documentNames: DocumentNames
    /// Learner-to-legal terms added to the BM25 query ("banned" adds "prohibited").
    public var vocabulary: QueryVocabulary
    /// Whether the document names a question uses ("according to the OECD") are left out of its BM25 query and
    /// of the text embedded for it (``DocumentNames/removingNames(from:)``): they choose the document, which
    /// ``namedDocumentFactor`` does.
    public var stripDocumentNames = false
    /// Provision-level aggregation: each candidate with a section gains this share of the scores of the other
    /// candidates of the same document and provision (an article's paragraphs, an annex point's parts), so a
    /// provision several passages of which match outranks a lone passage elsewhere. 0 turns it off.
    public var provisionWeight: Double
    /// Pseudo-relevance feedback: this many terms of the three best fused passages are added to the BM25 query,
    /// which is run again and fused again. 0 turns it off.
    public var feedbackTerms: Int
    /// Whether a question naming documents also searches within them (see ``namedDocumentFactor``), so their
    /// best passages are candidates even when the whole corpus ranks them low.
    public var searchNamedDocuments: Bool
    /// Whether the vocabulary's terms are also added to the text the dense ranking embeds.
    public var expandDense: Bool
    /// Whether a question asking what a term means gets the passages that define it ("'X' means") first.
    public var definitions: Bool
    /// Whether a question naming a provision ("Article 50", "Annex III", "GOVERN 1.1") gets that provision's
    /// passages first.
    public var provisions: Bool = false
    /// The share of a dense candidate's score its best window gives (``IndexRecord/windows``):
    /// `(1 - share) * chunk cosine + share * best window cosine`, in dense and hybrid searches under the cosine
    /// metric. 0 ranks by the chunk vectors alone.
    public var windowShare: Double = 0

    public init(
        fusionK: Double = 60, denseWeight: Double = 1, recitalFactor: Double = 1, namedDocumentFactor: Double = 1,
        documentNames: DocumentNames = DocumentNames(), vocabulary: QueryVocabulary = QueryVocabulary(),
        provisionWeight: Double = 0, definitions: Bool = false, expandDense: Bool = false,
        searchNamedDocuments: Bool = false, feedbackTerms: Int = 0
    ) {
        self.feedbackTerms = feedbackTerms
        self.searchNamedDocuments = searchNamedDocuments
        self.expandDense = expandDense
        self.definitions = definitions
        self.provisionWeight = provisionWeight
        self.fusionK = fusionK
        self.denseWeight = denseWeight
        self.recitalFactor = recitalFactor
        self.namedDocumentFactor = namedDocumentFactor
        self.documentNames = documentNames
        self.vocabulary = vocabulary
    }

    /// The BM25 query of a hybrid search for `question`: without its document names when
    /// ``stripDocumentNames`` is set, plus the vocabulary's legal terms (found in the whole question).
    public func lexicalText(_ question: String) -> String {
        expanded(stripDocumentNames ? documentNames.removingNames(from: question) : question, from: question)
    }

    /// The text to embed for `question`: without its document names when ``stripDocumentNames`` is set (they
    /// pull the vector towards passages that name the document, as they pull BM25), expanded by the vocabulary
    /// when ``expandDense`` is set.
    public func denseText(_ question: String) -> String {
        let text = stripDocumentNames ? documentNames.removingNames(from: question) : question
        return expandDense ? expanded(text, from: question) : text
    }

    private func expanded(_ text: String, from question: String) -> String {
        let added = vocabulary.terms(for: question)
        return added.isEmpty ? text : text + " " + added.joined(separator: " ")
    }

    /// Plain reciprocal-rank fusion (k 60, equal weights), no priors.
    public static let plain = RankingOptions()
}
