import Retrieval
import Testing
import TextAnalysis

/// The structure priors of hybrid search on a real in-memory index: recitals yield to articles unless the
/// question asks why, named documents come first, learner words reach legal text, definitions come first.
@Suite struct RankingPriorsTests {
    /// One record per (id, document, section, text); the first is nearest the query vector and written to
    /// win BM25 too, so plain fusion ranks it first and only a prior can move another above it.
    func index(_ rows: [(String, String, String, String)]) throws -> RetrievalIndex {
        let index = RetrievalIndex(configuration: IndexConfiguration(dimension: 2))
        try index.upsert(
            rows.enumerated().map { position, row in
                IndexRecord(
                    id: row.0, vector: position == 0 ? [1, 0] : [0.8, 0.6], text: row.3, documentID: row.1,
                    section: row.2)
            })
        return index
    }

    func ids(_ index: RetrievalIndex, _ question: String, _ ranking: RankingOptions) throws -> [String] {
        try index.search(SearchQuery(vector: [1, 0], text: question, mode: .hybrid, k: 3, ranking: ranking)).map(\.id)
    }

    @Test func recitalsYieldToArticlesExceptForWhyQuestions() throws {
        let index = try index([
            ("recital", "act", "Recital 29", "manipulative techniques manipulative techniques persons"),
            ("article", "act", "Article 5(1)", "manipulative techniques shall be prohibited"),
        ])
        let ranking = RankingOptions(recitalFactor: 0.5)
        #expect(try ids(index, "manipulative techniques", .plain).first == "recital")
        #expect(try ids(index, "manipulative techniques", ranking).first == "article")
        #expect(try ids(index, "Why are manipulative techniques a problem?", ranking).first == "recital")
    }

    @Test func aNamedDocumentComesFirst() throws {
        let index = try index([
            ("nist", "nist-ai-100-1.pdf", "3.4", "accountability accountability of AI actors"),
            ("oecd", "oecd-recommendation.md", "", "accountability of actors"),
        ])
        let names = DocumentNames(parsing: "# comment\noecd\toecd-*\tpublisher\n")
        #expect(names.documents(namedIn: "Who is accountable, according to the OECD?") == ["oecd-*"])
        #expect(names.documents(namedIn: "Who is accountable in a poecd?").isEmpty)
        let ranking = RankingOptions(namedDocumentFactor: 3, documentNames: names)
        #expect(try ids(index, "accountability according to the OECD", .plain).first == "nist")
        #expect(try ids(index, "accountability according to the OECD", ranking).first == "oecd")
    }

    /// "NIST" names the five NIST documents, "AI RMF" two of them, "playbook" one: a question using a broad name
    /// and a narrower one within it ("the NIST AI RMF") means the narrower, where the prior favoured every NIST
    /// document, and "What does GOVERN 1.3 of the NIST AI RMF say?" quoted the GenAI profile's GOVERN 1.3.
    @Test func theNarrowestNameWithinABroaderOneChooses() {
        let names = DocumentNames(
            parsing: """
                nist\tnist-*\tpublisher
                ai rmf\tnist-ai-100-1*|nist-ai-rmf-playbook*\ttitle
                playbook\tnist-ai-rmf-playbook*\ttitle
                genai profile\tnist-ai-600-1*\ttitle
                gdpr\teu-gdpr*\ttitle
                """)
        #expect(names.documents(namedIn: "What does NIST say?") == ["nist-*"])
        #expect(
            names.documents(namedIn: "What does GOVERN 1.3 of the NIST AI RMF say?")
                == ["nist-ai-100-1*", "nist-ai-rmf-playbook*"])
        #expect(names.documents(namedIn: "the NIST AI RMF playbook") == ["nist-ai-rmf-playbook*"])
        #expect(
            names.documents(namedIn: "NIST's AI RMF and its GenAI profile")
                == ["nist-ai-100-1*", "nist-ai-rmf-playbook*", "nist-ai-600-1*"])
        // Names that do not nest are both kept.
        #expect(names.documents(namedIn: "GDPR and the NIST playbook") == ["nist-ai-rmf-playbook*", "eu-gdpr*"])
    }

    /// A document's name chooses the document; kept in the BM25 query it also chose, within the document, the
    /// closing paragraph that spells the name out ("INVITES ... the OECD") over the principle that answers.
    @Test func documentNamesStayOutOfTheBM25Query() throws {
        let names = DocumentNames(
            parsing: "oecd\toecd-*\tpublisher\nbill of rights\tblueprint\tsubject: title\nai act\tact-*\ttitle\n")
        #expect(
            names.removingNames(from: "Can I challenge an AI decision, according to the OECD?")
                == "can i challenge an ai decision according to the")
        #expect(
            names.removingNames(from: "What does the AI Act say of deepfakes? And the OECD's AI act?")
                == "what does the say of deepfakes and the 's")
        #expect(names.removingNames(from: "What is the OECD?") == "What is the OECD?", "nothing else to search for")
        #expect(names.removingNames(from: "What does the bill of rights say?") == "What does the bill of rights say?")
        #expect(names.removingNames(from: "Is the poecd named?") == "Is the poecd named?")
        let index = try index([
            ("closing", "oecd-recommendation.md", "2.5", "INVITES the OECD Secretary-General; the OECD OECD"),
            ("principle", "oecd-recommendation.md", "1.3", "those adversely affected can challenge its outcome"),
            ("other", "nist-ai-100-1.pdf", "3.4", "challenge and outcome of an AI decision"),
        ])
        var ranking = RankingOptions(namedDocumentFactor: 3, documentNames: names)
        let question = "Can I challenge an AI outcome, according to the OECD?"
        #expect(try ids(index, question, ranking).first == "closing")
        ranking.stripDocumentNames = true
        #expect(ranking.lexicalText(question) == "can i challenge an ai outcome according to the")
        #expect(ranking.denseText(question) == "can i challenge an ai outcome according to the")
        #expect(try ids(index, question, ranking).first == "principle")
        // The vocabulary reads the whole question, names included.
        ranking.vocabulary = QueryVocabulary(parsing: "oecd\tprinciples\ttest\n")
        #expect(ranking.lexicalText(question) == "can i challenge an ai outcome according to the principles")
    }

    @Test func learnerWordsReachTheLegalTerms() throws {
        let vocabulary = QueryVocabulary(
            parsing: "ban*\tprohibited|prohibition\tAI Act Art. 5\nchatbot\tinteract directly\n")
        #expect(vocabulary.terms(for: "Which uses are BANNED?") == ["prohibited", "prohibition"])
        #expect(vocabulary.terms(for: "A bank's loan?") == ["prohibited", "prohibition"], "ban* is a prefix rule")
        #expect(vocabulary.terms(for: "urban chatbots") == [])
        #expect(vocabulary.expand("Is my chatbot ok") == "Is my chatbot ok interact directly")
        // A learner puts words into a phrase ("delete my personal data"); two at most, in the phrase's order.
        let spread = QueryVocabulary(parsing: "delete my data\terasure\nstart appl*\tshall apply from\n")
        #expect(spread.terms(for: "Can I ask a company to delete my personal data?") == ["erasure"])
        #expect(spread.terms(for: "Can they delete it and then my data?") == [], "three words between")
        #expect(spread.terms(for: "My data, can they delete it?") == [])
        #expect(spread.terms(for: "When does it start to apply?") == ["shall apply from"])
        let index = try index([
            ("prohibited", "act", "Article 5", "the following practices shall be prohibited"),
            ("other", "act", "Article 9", "risk management system for practices"),
        ])
        let lexical = RankingOptions(vocabulary: vocabulary)
        let hits = try index.search(SearchQuery(text: "banned uses", mode: .lexical, k: 2, ranking: lexical))
        #expect(hits.isEmpty, "lexical mode searches the question as written")
        #expect(try ids(index, "banned uses", lexical).first == "prohibited")
    }

    @Test func definitionsComeFirstForWhatIsQuestions() throws {
        let index = try index([
            ("uses", "gdpr", "Article 5(1)", "personal data shall be processed lawfully; personal data personal data"),
            ("defines", "gdpr", "Article 4", "(1) ‘personal data’ means any information relating to a person"),
            ("other", "gdpr", "Article 9", "special categories of personal data"),
        ])
        let ranking = RankingOptions(definitions: true)
        #expect(try ids(index, "What counts as personal data?", .plain).first == "uses")
        #expect(try ids(index, "What counts as personal data?", ranking).first == "defines")
        #expect(try ids(index, "Is personal data safe?", ranking).first == "uses")
        // The learner may ask what the law means by the term: "law" is not the term.
        #expect(try ids(index, "What does the law mean by personal data?", ranking).first == "defines")
        #expect(try ids(index, "What is meant by 'personal data' in the GDPR?", ranking).first == "defines")
        // A person the text defines, quoted by the learner: the quotes end the term.
        let provider = DefinitionLookup(
            question: "Who is the 'provider' of an AI system?", vocabulary: QueryVocabulary())
        #expect(provider.terms == ["provider"])
        // GDPR Article 4(11) qualifies its term before "means"; a quoted term used in passing defines nothing.
        let consent = DefinitionLookup(question: "How does the GDPR define 'consent'?", vocabulary: QueryVocabulary())
        #expect(consent.defines("(11) ‘consent’ of the data subject means any freely given, specific indication"))
        #expect(!consent.defines("the ‘consent’ given under Article 7; this means that the controller"))
        #expect(!consent.defines("‘consent’ (Article 4) means"))
        // The index keeps each passage's folded definition text: a replaced or deleted passage must lose it.
        try index.upsert([
            IndexRecord(
                id: "defines", vector: [0.8, 0.6], text: "(1) personal data is defined elsewhere", documentID: "gdpr",
                section: "Article 4")
        ])
        #expect(try ids(index, "What counts as personal data?", ranking).first == "uses")
        try index.upsert([
            IndexRecord(
                id: "defines2", vector: [0.8, 0.6], text: "“personal data” means any information", documentID: "gdpr",
                section: "Article 4")
        ])
        #expect(try ids(index, "What counts as personal data?", ranking).first == "defines2")
        _ = try index.delete(ids: ["defines2"])
        #expect(try ids(index, "What counts as personal data?", ranking).first == "uses")
    }

    /// NIST's glossaries define by entry, not by "means": the entry line is the definition.
    @Test func glossaryEntriesAreDefinitionsToo() throws {
        let index = try index([
            (
                "uses", "nist-sp-1270.pdf", "3.3.1 Human Factors",
                "automation complacency: automation complacency grows with automation"
            ),
            (
                "entry", "nist-sp-1270.pdf", "5 Glossary",
                "anchoring bias A cognitive bias.\nautomation complacency When humans over-rely on automated systems"
            ),
            ("list", "nist-sp-1270.pdf", "3.3.1 Human Factors", "automation complacency\nrisks of automation"),
        ])
        let ranking = RankingOptions(definitions: true)
        #expect(try ids(index, "What is 'automation complacency'?", .plain).first == "uses")
        #expect(try ids(index, "What is 'automation complacency'?", ranking).first == "entry")
        #expect(
            try ids(index, "What is 'automation complacency'?", ranking).dropFirst().first == "uses",
            "a line starting with the term outside a glossary is no entry")
        #expect(try ids(index, "What is automation?", ranking).first == "uses", "the whole term starts the entry")
    }

    /// The OECD Recommendation's definitions section writes "AI system: An AI system is ...", never "means".
    @Test func termColonEntriesOfADefinitionsSectionAreDefinitions() throws {
        let index = try index([
            ("uses", "oecd", "IV. Principles", "ai system actors: ai system ai system risks to the ai system"),
            (
                "entry", "oecd", "Definitions",
                "AI system lifecycle: phases of it.\nAI system: An AI system is a machine-based system"
            ),
            ("prose", "oecd", "III. Scope", "AI system: the term as used in reports of the ai system"),
        ])
        let ranking = RankingOptions(definitions: true)
        #expect(try ids(index, "What is an AI system?", .plain).first == "uses")
        #expect(try ids(index, "What is an AI system?", ranking).first == "entry")
        #expect(
            try ids(index, "What is an AI system?", ranking).dropFirst().first == "uses",
            "a 'Term:' line outside a definitions section or glossary is no entry")
        #expect(try ids(index, "What is an AI?", ranking).first == "uses", "the whole term ends at the colon")
    }

    /// A question naming a provision gets its passages first: one per document (at most two) when it does not
    /// say which document, and Article 50 is not Article 5.
    @Test func aNamedProvisionComesFirst() throws {
        let index = try index([
            ("cites", "act", "Article 79(6)", "non-compliance with Article 50 transparency Article 50 obligations"),
            ("act50", "act", "Article 50(1)", "providers shall inform natural persons of the interaction"),
            ("act5", "act", "Article 5(1)", "the following practices shall be prohibited"),
            ("gdpr50", "gdpr", "Article 50", "international cooperation for the protection of personal data"),
            ("annex3", "act", "Annex III", "employment, workers management and access to self-employment"),
            ("govern", "rmf", "GOVERN 1.1", "legal and regulatory requirements involving AI are understood"),
            ("practice", "misuse", "Practice 3.3", "maintain security practices sufficient to prevent model theft"),
        ])
        var ranking = RankingOptions()
        ranking.provisions = true
        #expect(try ids(index, "What does Article 50 require?", .plain).first == "cites")
        let named = try ids(index, "What does Article 50 require?", ranking)
        #expect(Set(named.prefix(2)) == ["act50", "gdpr50"])
        #expect(try ids(index, "What does Article 5 ban?", ranking).first == "act5")
        #expect(try ids(index, "What does Article 5.2 say?", ranking).first == "cites")
        #expect(try ids(index, "What is non-compliance?", ranking).first == "cites")
        // Annex numbers have no digits; NIST subcategories start with words common in questions.
        #expect(try ids(index, "Which systems are in Annex III?", ranking).first == "annex3")
        #expect(try ids(index, "What does GOVERN 1.1 ask organisations to do?", ranking).first == "govern")
        #expect(try ids(index, "What does Practice 3.3 ask developers to do?", ranking).first == "practice")
        #expect(try ids(index, "What does Practice 3.3 ask developers to do?", .plain).first != "practice")
    }

    /// Annex III's use cases are its points ("Annex III, point 4"), each its own section: a question naming the
    /// annex must reach them, not only the annex's heading passage.
    @Test func aNamedAnnexCoversItsPoints() throws {
        let index = try index([
            ("cites", "act", "Article 6(2)", "employment and recruitment systems referred to in Annex III"),
            ("heading", "act", "Annex III", "High-risk AI systems referred to in Article 6(2)"),
            ("point4", "act", "Annex III, point 4", "Employment, workers management: recruitment or selection"),
            ("annex4", "act", "Annex IV, point 1", "recruitment documentation of the technical kind"),
        ])
        var ranking = RankingOptions()
        ranking.provisions = true
        let named = try ids(index, "Is recruitment software in Annex III?", ranking)
        #expect(named.first == "point4")
        #expect(!named.prefix(1).contains("annex4"))
    }
}

/// The obligation prior: a question asking what the law allows, bans or requires prefers articles and annexes
/// to guidance and recitals, unless it names its document or asks something else.
@Suite struct ObligationPriorTests {
    @Test func aLegalQuestionPrefersArticlesAndAnnexes() throws {
        let index = try RankingPriorsTests().index([
            ("guidance", "blueprint.pdf", "", "tracking tracking people online data brokers selling"),
            ("article", "act", "Article 5(1)", "tracking people online shall be prohibited"),
            ("nist", "nist-ai-100-1.pdf", "GOVERN 1.1", "tracking people online legal requirements"),
        ])
        var ranking = RankingOptions()
        ranking.obligationFactor = 2
        ranking.namedDocumentFactor = 3
        ranking.documentNames = DocumentNames(parsing: "nist\tnist-*\ttest\nthe act\tact\ttest\n")
        let ids = { (question: String, options: RankingOptions) in
            try RankingPriorsTests().ids(index, question, options)
        }
        #expect(try ids("Can a company keep tracking people online?", .plain).first == "guidance")
        #expect(try ids("Can a company keep tracking people online?", ranking).first == "article")
        #expect(try ids("Is tracking people online legal?", ranking).first == "article")
        // No cue: the question is not about what the law says.
        #expect(try ids("How does tracking people online work?", ranking).first == "guidance")
        // Named documents keep the prior to their own articles: "can" then asks what NIST says, not the act...
        #expect(try ids("Can a company keep tracking people online, according to NIST?", ranking).first == "nist")
        // ... and what the act says when the act is named, over the NIST passage that names the same words.
        let named = try ids("Can a company keep tracking people online under the act?", ranking)
        #expect(named.first == "article")
        var off = ranking
        off.obligationFactor = 1
        #expect(try ids("Can a company keep tracking people online?", off).first == "guidance")
    }

    @Test func cuesAreWholeWords() {
        #expect(LegalQuestionCues.matches(RuleFile.normalise("Do employers have to tell workers?")))
        #expect(LegalQuestionCues.matches(RuleFile.normalise("What are the fines?")))
        #expect(!LegalQuestionCues.matches(RuleFile.normalise("How do banners and fineness work?")))
        #expect(!LegalQuestionCues.matches(RuleFile.normalise("What is a canal?")))
    }
}
