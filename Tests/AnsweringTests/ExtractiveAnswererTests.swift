import Testing
import TextAnalysis

@testable import Answering

@Suite struct SentenceSplitterTests {
    @Test func plainSentences() {
        #expect(
            SentenceSplitter.sentences(in: "One sentence here. Another one! A question? Yes.")
                == ["One sentence here.", "Another one!", "A question?", "Yes."])
    }

    @Test func legalReferencesAndAbbreviationsStayWhole() {
        let text = """
            In accordance with Article 6(1), e.g. for systems listed in Annex III, the provider shall act. \
            See Art. 5 and No. 2 of Regulation (EU) 2016/679. The U.S. Department of Commerce and J. Smith agree. \
            Section 2.3 applies.
            """
        #expect(
            SentenceSplitter.sentences(in: text) == [
                "In accordance with Article 6(1), e.g. for systems listed in Annex III, the provider shall act.",
                "See Art. 5 and No. 2 of Regulation (EU) 2016/679.",
                "The U.S. Department of Commerce and J. Smith agree.", "Section 2.3 applies.",
            ])
    }

    @Test func enumeratorsOpenSentencesInsteadOfBeingOnes() {
        let text = "Article 9. 1. A risk management system shall be established. 2. It shall be updated. (a). The end."
        #expect(
            SentenceSplitter.sentences(in: text) == [
                "Article 9.", "1. A risk management system shall be established.", "2. It shall be updated.",
                "(a). The end.",
            ])
    }

    @Test func structureNumeralsEndSentences() {
        #expect(
            SentenceSplitter.sentences(in: "It is listed in Annex I. The provider registers it.")
                == ["It is listed in Annex I.", "The provider registers it."])
    }

    @Test func lineWrapsJoinAndBlankLinesSplit() {
        #expect(
            SentenceSplitter.sentences(in: "A heading\n\nThe text wraps\nacross lines. Next one.")
                == ["A heading", "The text wraps across lines.", "Next one."])
    }

    @Test func lowercaseAfterAPeriodDoesNotSplit() {
        #expect(
            SentenceSplitter.sentences(in: "Values are approx. ten percent.") == ["Values are approx. ten percent."])
        #expect(SentenceSplitter.sentences(in: "Ends here.”  Next.") == ["Ends here.”", "Next."])
    }

    @Test func longListsAreCutAtSemicolons() {
        let item = String(repeating: "the provider shall keep records ", count: 5)
        let text = "(a) \(item); (b) \(item); (c) \(item)."
        let sentences = SentenceSplitter.sentences(in: text)
        #expect(sentences.count == 3)
        #expect(sentences[0].hasPrefix("(a)") && sentences[0].hasSuffix(";"))
        #expect(sentences[2].hasPrefix("(c)"))
    }
}

@Suite struct ExtractiveAnswererTests {
    @Test func quotesTheBestMatchingSentencesWithCitations() {
        let answer = ExtractiveAnswerer().answer(
            question: "What must providers of high-risk AI systems establish?", passages: samplePassages())
        #expect(answer.matched)
        #expect(answer.citedSources == [1, 2])
        #expect(
            answer.text == """
                Article 9(1): A risk management system shall be established, implemented, documented and maintained in \
                relation to high-risk AI systems. [1] Article 9(2): The risk management system shall be understood as a continuous \
                iterative process planned and run throughout the entire lifecycle of a high-risk AI system, e.g. \
                through regular systematic review and updating. [1]

                Article 26: Deployers of high-risk AI systems shall monitor the operation of the high-risk AI system on the \
                basis of the instructions for use. [2]
                """)
        #expect(GroundingCheck(text: answer.text, sourceCount: 3).grounded)
    }

    @Test func leadingEnumeratorsAreDroppedFromQuotes() {
        #expect(ExtractiveAnswerer.withoutEnumerator("2. The Commission shall act.") == "The Commission shall act.")
        #expect(ExtractiveAnswerer.withoutEnumerator("(a) the provider;") == "The provider;")
        #expect(ExtractiveAnswerer.withoutEnumerator("(12) Recital text.") == "Recital text.")
        #expect(ExtractiveAnswerer.withoutEnumerator("2016/679 applies.") == "2016/679 applies.")
    }

    @Test func clauseIdentifiersMatch() {
        let answer = ExtractiveAnswerer().answer(
            question: "What fines apply under Article 5?", passages: samplePassages())
        #expect(answer.citedSources == [3])
        #expect(answer.text.hasSuffix("EUR 35 000 000. [3]"))
    }

    @Test func nothingMatchingSaysSo() {
        let extractive = ExtractiveAnswerer()
        let unrelated = extractive.answer(question: "What is the capital of Peru?", passages: samplePassages())
        #expect(!unrelated.matched)
        #expect(unrelated.text == ExtractiveAnswerer.noMatchText)
        #expect(unrelated.citedSources.isEmpty)
        #expect(
            extractive.answer(question: "What is it?", passages: samplePassages()).text
                == ExtractiveAnswerer.noMatchText)
        #expect(extractive.answer(question: "risk management", passages: []).matched == false)
    }

    @Test func limitsSentencesAndPassages() {
        let extractive = ExtractiveAnswerer(maxSentences: 1)
        let answer = extractive.answer(question: "high-risk AI systems", passages: samplePassages())
        #expect(answer.citedSources.count == 1)
        #expect(!answer.text.contains("\n"))
    }

    @Test func stemmingMeetsWordForms() {
        #expect(ExtractiveAnswerer.stem("obligations") == ExtractiveAnswerer.stem("obligation"))
        #expect(ExtractiveAnswerer.stem("required") == ExtractiveAnswerer.stem("requires"))
        #expect(ExtractiveAnswerer.stem("processing") == ExtractiveAnswerer.stem("processes"))
        #expect(ExtractiveAnswerer.stem("policies") == "policy")
        #expect(ExtractiveAnswerer.stem("6(1)") == "6(1)")
    }

    /// A learner's word the text never uses: retrieval finds Article 50(1) through the vocabulary's legal
    /// term, and the answer must quote it rather than a passage that merely repeats "covered" and "AI Act".
    @Test func theVocabularyLetsALegalTermCoverTheLearnersWord() {
        let passages = [
            passage(
                1, "Article 50(1)",
                "Providers shall ensure that AI systems intended to interact directly with natural persons are "
                    + "designed and developed in such a way that the natural persons concerned are informed."),
            passage(
                2, "Article 60(1)",
                "This paragraph shall be without prejudice to testing of AI systems covered by the AI Act in "
                    + "Annex I."),
        ]
        let question = "Is a chatbot covered by the AI Act?"
        let vocabulary = QueryVocabulary(parsing: "chatbot*\tinteract directly with natural persons\tissue 14\n")
        let answer = ExtractiveAnswerer(vocabulary: vocabulary).answer(question: question, passages: passages)
        #expect(answer.text.hasPrefix("Article 50(1): Providers shall ensure"))
        #expect(answer.citedSources.first == 1)
        // Without the vocabulary the same passages give the other provision first: what the rule changes.
        let plain = ExtractiveAnswerer().answer(question: question, passages: passages)
        #expect(plain.citedSources == [2])
        // A rule that does not fire covers nothing.
        let other = QueryVocabulary(parsing: "deepfake*\tinteract directly with natural persons\tnone\n")
        #expect(
            ExtractiveAnswerer(vocabulary: other).answer(question: question, passages: passages).citedSources == [2])
    }

    /// The offline answer's text to `question` from `passages`.
    private func answerText(_ question: String, _ passages: Passage...) -> String {
        ExtractiveAnswerer().answer(question: question, passages: passages).text
    }

    private func passage(_ number: Int, _ section: String?, _ text: String) -> Passage {
        Passage(
            number: number, chunkID: "c\(number)", documentID: "eu-ai-act", documentTitle: "EU AI Act",
            documentSource: "EUR-Lex", section: section, chunkIndex: number, text: text, score: 1)
    }

    /// The issue's "Which AI practices are prohibited?": the chunk opens with the chapter and article headings
    /// and runs the lead-in into its points, as the Official Journal PDF's text does.
    @Test func aListIsQuotedAsItsLeadInWithItsPointsAndHeadingsNeverStandAlone() {
        let text = """
            CHAPTER II
            PROHIBITED AI PRACTICES

            Article 5
            Prohibited AI practices

            1.
            The following AI practices shall be prohibited: (a) the placing on the market of an AI system that \
            deploys subliminal techniques beyond a person's consciousness; (b) the placing on the market of an AI \
            system that exploits any of the vulnerabilities of a natural person; (c) the use of AI systems for the \
            evaluation or classification of natural persons based on their social behaviour.
            """
        let answer = ExtractiveAnswerer().answer(
            question: "Which AI practices are prohibited?", passages: [passage(1, "Article 5(1)", text)])
        #expect(
            answer.text == """
                Article 5(1): The following AI practices shall be prohibited: [1] (a) the placing on the market of \
                an AI system that deploys subliminal techniques beyond a person's consciousness; [1] (b) the \
                placing on the market of an AI system that exploits any of the vulnerabilities of a natural \
                person; [1] (c) the use of AI systems for the evaluation or classification of natural persons \
                based on their social behaviour. [1]
                """)
        #expect(!answer.text.contains("CHAPTER"))
    }

    /// A question about one point of a list (the issue's "banned outright" against Article 5(1)'s points): the
    /// point comes under its lead-in, which says what the list is, with the list around it.
    @Test func aChosenPointComesUnderItsLeadIn() {
        let text = """
            The following AI practices shall be prohibited: (a) the placing on the market of an AI system that \
            deploys subliminal techniques beyond a person's consciousness; (b) the placing on the market of an AI \
            system that exploits any of the vulnerabilities of a natural person; (c) the use of AI systems for the \
            evaluation or classification of natural persons based on their social behaviour.
            """
        let answer = ExtractiveAnswerer().answer(
            question: "Are apps that use subliminal techniques on people allowed?",
            passages: [passage(1, "Article 5(1)", text)])
        #expect(
            answer.text.hasPrefix(
                "Article 5(1): The following AI practices shall be prohibited: [1] (a) the placing on the market of an "
                    + "AI system that deploys subliminal techniques beyond a person's consciousness; [1] (b) "))
        #expect(answer.text.hasSuffix("based on their social behaviour. [1]"))

        // A point past the list budget is still quoted, after the points that fit, and the list said to go on.
        let long =
            "The following AI practices shall be prohibited: "
            + (1...30).map {
                "(\($0)) a long point about "
                    + String(repeating: "market rules ", count: 8) + "number \($0);"
            }.joined(separator: " ")
            + " (31) the use of subliminal techniques on people."
        let far = ExtractiveAnswerer().answer(
            question: "Are apps that use subliminal techniques on people allowed?",
            passages: [passage(1, "Article 5(1)", long)])
        #expect(far.text.hasPrefix("Article 5(1): The following AI practices shall be prohibited: [1] (1) "))
        #expect(far.text.contains("(31) the use of subliminal techniques on people. [1]"), "\(far.text)")
        #expect(!far.text.contains("(30) "))
    }

    /// "Which uses of AI are banned outright?" against Article 5(1): the lead-in brought the points that fit the
    /// budget and another point qualified on its own. The answer read "(c) ... (The list continues in the
    /// source.) (d) ...": the list said to go on before more of it, and nothing marking the points left out.
    @Test func aPointChosenPastTheCutListComesBeforeTheNoteThatTheListGoesOn() {
        let long =
            "The following AI practices shall be prohibited: "
            + (1...30).map {
                "(\($0)) a long point about " + String(repeating: "market rules ", count: 8) + "number \($0);"
            }.joined(separator: " ")
            + " (31) the use of subliminal techniques on people; (32) a last point about market rules."
        let answer = ExtractiveAnswerer().answer(
            question: "Which practices are prohibited, such as subliminal techniques on people?",
            passages: [passage(1, "Article 5(1)", long)])
        let text = answer.text
        #expect(text.hasPrefix("Article 5(1): The following AI practices shall be prohibited: [1] (1) "), "\(text)")
        guard let far = text.range(of: "(31) the use of subliminal techniques on people; [1]"),
            let note = text.range(of: ExtractiveAnswerer.listContinues)
        else {
            Issue.record("point (31) or the note missing: \(text)")
            return
        }
        #expect(far.upperBound <= note.lowerBound, "\(text)")
        #expect(text.hasSuffix("[1] " + ExtractiveAnswerer.listContinues), "\(text)")
        // The points between the budget and (31) are left out, and the answer says so where they were.
        #expect(text.contains("[1] \(ExtractiveAnswerer.omission) (31) "), "\(text)")
        #expect(!text.contains("(30) "))
    }

    /// A chunk of several paragraphs carries its article's label ("Article 6", or "Article 26(6)" for one that
    /// starts at paragraph 6), so the answer cited "Article 6" for what Article 6(4) says. Each quote is labelled
    /// with the paragraph its statement is in, numbered as the text numbers them, and a definition with its
    /// number in the definitions article ("Article 3(60)").
    @Test func eachQuoteCitesTheParagraphItIsIn() {
        let article = """
            4.
            A provider who considers that an AI system referred to in Annex III is not high-risk shall document its \
            assessment before that system is placed on the market.
            5.
            The Commission shall provide guidelines with a comprehensive list of practical examples of high-risk \
            use cases.
            """
        let answer = ExtractiveAnswerer().answer(
            question: "Are there guidelines with examples of which AI systems in Annex III are high-risk?",
            passages: [passage(1, "Article 6", article)])
        #expect(
            answer.text
                == "Article 6(4): A provider who considers that an AI system referred to in Annex III is not high-risk "
                + "shall document its assessment before that system is placed on the market. [1] Article 6(5): The "
                + "Commission shall provide guidelines with a comprehensive list of practical examples of high-risk "
                + "use cases. [1]")

        // A chunk labelled with its first paragraph goes on into the next one.
        let employer = """
            6.
            Deployers shall keep the logs automatically generated by that high-risk AI system.
            7.
            Before putting into service or using a high-risk AI system at the workplace, deployers who are \
            employers shall inform workers' representatives and the affected workers.
            """
        let told = ExtractiveAnswerer().answer(
            question: "Must an employer inform workers before using a high-risk AI system at the workplace?",
            passages: [passage(1, "Article 26(6)", employer)])
        #expect(told.text.contains("[1] Article 26(7): Before putting into service"), "\(told.text)")

        let definitions = """
            For the purposes of this Regulation, the following definitions apply: (59) ‘input data’ means data \
            provided to an AI system; (60) ‘deep fake’ means AI-generated or manipulated image, audio or video \
            content that resembles existing persons;
            """
        let defined = ExtractiveAnswerer().answer(
            question: "What is a deep fake?", passages: [passage(1, "Article 3", definitions)])
        #expect(defined.text.hasPrefix("Article 3(60): ‘deep fake’ means"), "\(defined.text)")
        // GDPR Article 4(11) qualifies its term before "means": still the definition asked for, under its number.
        let gdpr = """
            (10) ‘third party’ means a natural or legal person other than the data subject; (11) ‘consent’ of the \
            data subject means any freely given, specific, informed and unambiguous indication of the data \
            subject's wishes; (12) ‘personal data breach’ means a breach of security;
            """
        let consent = ExtractiveAnswerer().answer(
            question: "How does the GDPR define 'consent'?", passages: [passage(1, "Article 4", gdpr)])
        #expect(consent.text.hasPrefix("Article 4(11): ‘consent’ of the data subject means"), "\(consent.text)")
        // Quoted as a list, the definitions keep their numbers under the lead-in's label.
        let list = ExtractiveAnswerer().answer(
            question: "Which definitions apply for the purposes of this Regulation?",
            passages: [passage(1, "Article 3", definitions)])
        #expect(list.text.hasPrefix("Article 3: For the purposes of this Regulation"), "\(list.text)")
        #expect(list.text.contains("[1] (59) ‘input data’ means") && !list.text.contains("Article 3(59)"))

        // Numbers that do not count on from the paragraph before are not paragraphs, and passages that are not
        // articles keep their label.
        let stray = "2.\nThe provider shall keep records of every system.\n7.\nThe provider shall keep records."
        let kept = ExtractiveAnswerer().answer(
            question: "Must the provider keep records?", passages: [passage(1, "Article 12(2)", stray)])
        #expect(kept.text.hasPrefix("Article 12(2): The provider shall keep records of every system. [1] The"))
        let annex = ExtractiveAnswerer().answer(
            question: "Must the provider keep records?", passages: [passage(1, "Annex IV", stray)])
        #expect(annex.text.hasPrefix("Annex IV: The provider shall keep records of every system. [1] The"))
    }

    @Test func aListCutByTheChunkEndSaysItContinuesInsteadOfEndingMidSentence() {
        let text = """
            The following AI practices shall be prohibited: (a) the placing on the market of an AI system that \
            deploys subliminal techniques; (b) the placing on the market of an AI system that exploits any of the \
            vulnerabilities of a person in
            """
        let answer = ExtractiveAnswerer().answer(
            question: "Which AI practices are prohibited?", passages: [passage(1, "Article 5(1)", text)])
        #expect(answer.text.hasSuffix("subliminal techniques; [1] " + ExtractiveAnswerer.listContinues))
        #expect(!answer.text.contains("person in"))
    }

    /// "How does the EU regulation define an AI system?" against the definitions article: the definition of
    /// the term asked about, not the lead-in and not the other terms that share its words.
    @Test func aDefinitionQuestionGetsTheDefiningSentence() {
        let text = """
            Article 3
            Definitions
            For the purposes of this Regulation, the following definitions apply: (1) ‘AI system’ means a \
            machine-based system that is designed to operate with varying levels of autonomy; (2) ‘risk’ means \
            the combination of the probability of an occurrence of harm and the severity of that harm; (3) \
            ‘provider’ means a natural or legal person that develops an AI system or a general-purpose AI model;
            """
        let answer = ExtractiveAnswerer().answer(
            question: "How does the EU regulation define an AI system?", passages: [passage(1, "Article 3", text)])
        #expect(
            answer.text
                == "Article 3(1): ‘AI system’ means a machine-based system that is designed to operate with varying "
                + "levels of autonomy; [1]")
    }

    /// A definition that ends in a colon is said by its points: EO 14110's "dual-use foundation model" was quoted
    /// as far as "such as by:", and the AI Act's "serious incident" as far as "any of the following:".
    @Test func aDefinitionEndingInAColonBringsItsOwnPoints() {
        let order = """
            (j) The term “differential-privacy guarantee” means protections that allow information about a group \
            to be shared while provably limiting the improper access, use, or disclosure of personal information \
            about particular entities.

            (k) The term “dual-use foundation model” means an AI model that is trained on broad data; generally \
            uses self-supervision; contains at least tens of billions of parameters; is applicable across a wide \
            range of contexts; and that exhibits high levels of performance at tasks that pose a serious risk to \
            security, such as by:

            (i) substantially lowering the barrier of entry for non-experts to design, synthesize, acquire, or use \
            chemical, biological, radiological, or nuclear (CBRN) weapons;

            (ii) enabling powerful offensive cyber operations through automated vulnerability discovery; or

            (iii) permitting the evasion of human control or oversight through means of deception or obfuscation.

            (l) The term “Federal law enforcement agency” has the meaning set forth in section 21(a) of Executive \
            Order 14074.
            """
        let eo = answerText("What is a 'dual-use foundation model' in the Biden AI order?", passage(1, "Sec. 3", order))
        #expect(
            eo
                == "Sec. 3(k): The term “dual-use foundation model” means an AI model that is trained on broad data; "
                + "generally uses self-supervision; contains at least tens of billions of parameters; is applicable "
                + "across a wide range of contexts; and that exhibits high levels of performance at tasks that pose "
                + "a serious risk to security, such as by: [1] (i) substantially lowering the barrier of entry for "
                + "non-experts to design, synthesize, acquire, or use chemical, biological, radiological, or nuclear "
                + "(CBRN) weapons; [1] (ii) enabling powerful offensive cyber operations through automated "
                + "vulnerability discovery; or [1] (iii) permitting the evasion of human control or oversight through "
                + "means of deception or obfuscation. [1]")
        let act = """
            (48) ‘national competent authority’ means a notifying authority or a market surveillance authority;
            (49) ‘serious incident’ means an incident or malfunctioning of an AI system that directly or indirectly \
            leads to any of the following:
            (a) the death of a person, or serious harm to a person’s health;
            (b) a serious and irreversible disruption of the management or operation of critical infrastructure.
            (50) ‘personal data’ means personal data as defined in Article 4, point (1), of Regulation (EU) 2016/679;
            """
        #expect(
            answerText("What is a 'serious incident'?", passage(1, "Article 3", act))
                == "Article 3(49): ‘serious incident’ means an incident or malfunctioning of an AI system that directly "
                + "or indirectly leads to any of the following: [1] (a) the death of a person, or serious harm to a "
                + "person’s health; [1] (b) a serious and irreversible disruption of the management or operation of "
                + "critical infrastructure. [1]")
    }

    /// "What kind of accident with an AI counts as a serious incident?" quoted Article 3(49) as far as "any of the
    /// following:": "counts as" did not make it a definition question, and outside one a point was quoted without
    /// the points of its own that say what it means.
    @Test func aPointEndingInAColonIsQuotedWithItsPoints() {
        let text = """
            (48) ‘national competent authority’ means a notifying authority or a market surveillance authority;
            (49) ‘serious incident’ means an incident or malfunctioning of an AI system that directly or indirectly \
            leads to any of the following:
            (a) the death of a person, or serious harm to a person’s health;
            (b) a serious and irreversible disruption of the management or operation of critical infrastructure;
            (50) ‘personal data’ means personal data as defined in Article 4, point (1), of Regulation (EU) 2016/679;
            """
        let points =
            " [1] (a) the death of a person, or serious harm to a person’s health; [1] (b) a serious and irreversible "
            + "disruption of the management or operation of critical infrastructure; [1]"
        #expect(
            answerText("What kind of accident with an AI counts as a serious incident?", passage(1, "Article 3", text))
                == "Article 3(49): ‘serious incident’ means an incident or malfunctioning of an AI system that directly "
                + "or indirectly leads to any of the following:" + points)
        let incidents = answerText(
            "Which malfunctioning of an AI system leads to a serious incident?", passage(1, "Article 3", text))
        #expect(incidents.contains("any of the following:" + points), "\(incidents)")
    }

    /// "Who is the 'provider' of an AI system, legally speaking?" asks for a definition as "what is" does.
    @Test func aWhoIsQuestionGetsTheDefinitionOfThePerson() {
        let text = """
            For the purposes of this Regulation, the following definitions apply: (1) ‘AI system’ means a \
            machine-based system that is designed to operate with varying levels of autonomy; (3) ‘provider’ \
            means a natural or legal person that develops an AI system or a general-purpose AI model and places it \
            on the market under its own name or trademark; (4) ‘deployer’ means a natural or legal person using an \
            AI system under its authority;
            """
        #expect(
            answerText("Who is the 'provider' of an AI system, legally speaking?", passage(1, "Article 3", text))
                == "Article 3(3): ‘provider’ means a natural or legal person that develops an AI system or a "
                + "general-purpose AI model and places it on the market under its own name or trademark; [1]")
    }

    /// NIST SP 1270 cites its bibliography in brackets; quoted, "[79]" read as the answer's marker for a source 79 it
    /// does not have.
    @Test func theSourcesBracketedReferencesAreNotQuotedAsMarkers() {
        let text = """
            anchoring bias A cognitive bias, the influence of a particular reference point or anchor on people's \
            decisions. Decision makers are biased towards an initially presented value [79]. It is possible to \
            identify three dominant categories of AI bias [80–90, 92].
            """
        let answer = answerText(
            "Are decision makers biased towards an initially presented value?", passage(1, "5 Glossary", text))
        #expect(answer.contains("biased towards an initially presented value. [1]"), "\(answer)")
        #expect(!answer.contains("[79]") && !answer.contains("[80"), "\(answer)")
        #expect(ReferenceEntries.withoutBracketedReferences("bias [80–90, 92] and [12] here") == "bias and here")
    }

    /// Two overlapping chunks of EO 14110's section 10 both held "Until agencies designate ...", and the answer
    /// to "Do federal agencies have to appoint a Chief AI Officer?" said it twice; the second place now goes to
    /// the next best statement.
    @Test func aStatementTwoPassagesShareIsSaidOnce() {
        let shared =
            "Until agencies designate their permanent Chief AI Officers, they shall be represented on the "
            + "interagency council by an appropriate official at the Assistant Secretary level."
        let first = passage(1, "Sec. 10", shared)
        let second = passage(
            2, "Sec. 10",
            shared + " The guidance shall require each agency to designate a Chief AI Officer within 60 days.")
        let answer = answerText("Do federal agencies have to appoint a Chief AI Officer?", first, second)
        #expect(answer.components(separatedBy: "Until agencies designate").count == 2, "\(answer)")
        #expect(answer.contains("designate a Chief AI Officer within 60 days. [2]"), "\(answer)")
    }

    /// A learner writes "deepfake" where the AI Act defines ‘deep fake’: the definition asked is still the one
    /// quoted, not the definitions around it.
    @Test func aTermWrittenAsOneWordFindsItsDefinition() {
        let text = """
            (55) ‘AI regulatory sandbox’ means a controlled framework set up by a competent authority which offers \
            providers the possibility to develop, train, validate and test an innovative AI system; (60) ‘deep fake’ \
            means AI-generated or manipulated image, audio or video content that resembles existing persons, \
            objects, places, entities or events and would falsely appear to a person to be authentic or truthful;
            """
        #expect(
            answerText("What exactly is a deepfake according to the EU AI law?", passage(1, "Article 3", text))
                == "Article 3(60): ‘deep fake’ means AI-generated or manipulated image, audio or video content that "
                + "resembles existing persons, objects, places, entities or events and would falsely appear to a "
                + "person to be authentic or truthful; [1]")
    }

    /// The README's sample question used to be answered from a chunk that began inside a sentence.
    @Test func aSentenceCutByThePreviousChunkIsNotQuoted() {
        let text = """
            accordance with Article 290 TFEU should be delegated to the Commission in respect of high-risk AI \
            systems. The Commission shall assess the list of high-risk AI systems in Annex III once a year.
            """
        let answer = ExtractiveAnswerer().answer(
            question: "Which AI systems count as high-risk under the EU AI Act?",
            passages: [passage(1, "Recital 173", text)])
        #expect(
            answer.text
                == "Recital 173: The Commission shall assess the list of high-risk AI systems in Annex III once a year. [1]"
        )
    }

    /// "What are the penalties for breaking the AI Act?" shares few words with Article 99(3), which answers it:
    /// the top passage is quoted instead of "the sources do not appear to answer".
    @Test func theTopPassageIsQuotedWhenItSharesTheQuestionsSubject() {
        let text = """
            3. Non-compliance with the prohibition of the AI practices referred to in Article 5 shall be subject to \
            administrative fines of up to EUR 35 000 000.
            """
        let answer = ExtractiveAnswerer().answer(
            question: "What are the penalties for breaking the AI Act?", passages: [passage(1, "Article 99(3)", text)])
        #expect(answer.matched)
        #expect(answer.text.contains("administrative fines of up to EUR 35 000 000. [1]"))
        #expect(answer.text != ExtractiveAnswerer.noMatchText)
    }

    /// Entries of a reference list or of footnotes name the works a report cites; they share the question's words
    /// through their titles, and quoted they read as the report's own claim. The texts are as `pdftotext` gives
    /// NIST SP 1270's reference list, NIST AI 600-1's references and the National Security Memorandum's footnotes.
    @Test func referenceEntriesAreNeverQuoted() {
        let references = """
            [169] BBC, “Facial recognition to ’predict criminals’ sparks row over AI bias,” BBC Online News, June \
            2020, https://www.bbc.com/news/technology-53165286.
            [170] S. Levin, “New AI can guess whether you’re gay or straight from a photograph,” The Guardian, Sept.
            """
        let footnotes = """
            28 O’Brien, J. et al., Deployment Corrections: An incident response framework for frontier AI models. \
            Schaul, K. et al. (2024) Inside the secret list of websites that make AI like ChatGPT sound smart. \
            M. Hashemi and M. Hall, “Criminal Tendency Detection from Facial Images and the Gender Bias Effect,” \
            Journal of Big Data, vol. 7, no. 1, pp. 1–16, 2020.
            """
        let text = """
            Beyond personal identity, human faces encode a number of conspicuous traits such as nonverbal \
            expression, indicators of sexual attraction and selection, and emotion.
            """
        let answer = ExtractiveAnswerer().answer(
            question: "Can AI guess from a photograph of faces whether someone is gay or straight?",
            passages: [passage(1, "5 Glossary", references), passage(2, "Notes", footnotes), passage(3, "2.1.2", text)])
        #expect(answer.matched)
        #expect(answer.citedSources == [3])
        #expect(answer.text.hasPrefix("2.1.2: Beyond personal identity, human faces encode"))
        // An arXiv identifier is only ever a citation ("Everything in the Whole Wide World Benchmark.
        // arXiv:2111.15366." was quoted for "Do I have to do everything the NIST playbook suggests?").
        #expect(ReferenceEntries.isReference("Everything in the Whole Wide World Benchmark. arXiv:2111.15366."))
        for entry in ["S. Levin,", "[169] BBC, “Facial", "O’Brien, J. et al.", "Schaul, K.", "M. Hashemi and M. Hall,"]
        {
            #expect(ReferenceEntries.isReference(entry + " A title of a work."), "\(entry)")
        }
        // The playbook's entries that cite a journal by volume and article or pages, with no author initials.
        for entry in [
            "A Hoffman. Evaluating the clinical utility of medical AI. npj Digital Medicine 4, Article 31 (2021).",
            "From what to how: an initial review of AI ethics tools. Minds & Machines 30, 411–437 (2020).",
        ] {
            #expect(ReferenceEntries.isReference(entry), "\(entry)")
        }
        for sentence in [
            "The U.S. Department of Commerce, acting through NIST, shall publish guidelines.",
            "Article 5, paragraph 1, applies.", "Providers, deployers and importers shall cooperate.",
            "The Regulation applies from 2 August 2026, Article 113 (2024).",
        ] {
            #expect(!ReferenceEntries.isReference(sentence), "\(sentence)")
        }
    }

    /// The sentence splitter cuts long points at their semicolons; the AI Act's Article 5(1)(d) then left its
    /// exception, "this prohibition shall not apply to ...", as a statement of its own, and answers quoted it
    /// alone, a fragment opening in lower case. It stays with its point.
    @Test func aClauseCutAtItsSemicolonStaysWithItsPoint() {
        let text = """
            (d) the placing on the market, the putting into service for this specific purpose, or the use of an AI \
            system for making risk assessments of natural persons in order to assess or predict the risk of a \
            natural person committing a criminal offence, based solely on the profiling of a natural person or on \
            assessing their personality traits and characteristics; this prohibition shall not apply to AI systems \
            used to support the human assessment of the involvement of a person in a criminal activity, which is \
            already based on objective and verifiable facts directly linked to a criminal activity;
            (e) the placing on the market, the putting into service for this specific purpose, or the use of AI \
            systems that create or expand facial recognition databases through the untargeted scraping of facial \
            images from the internet or CCTV footage;
            """
        let statements = ProvisionStatements.statements(of: text)
        #expect(statements.count == 2)
        #expect(statements.first?.text.hasPrefix("(d) the placing") == true)
        #expect(statements.first?.text.hasSuffix("directly linked to a criminal activity;") == true)
        #expect(statements.allSatisfy { $0.kind == .point })
        let answer = ExtractiveAnswerer().answer(
            question: "Can the police use AI to support the human assessment of a person in a criminal activity?",
            passages: [passage(1, "Article 5(1)", text)])
        #expect(answer.text.hasPrefix("Article 5(1): (d) the placing on the market"), "\(answer.text)")
    }

    /// NIST's glossaries define by entry; the entry before the asked one shares its statement's page numbers
    /// (text as `pdftotext` gives NIST SP 1270's glossary).
    @Test func aGlossaryEntryIsTheDefinitionAsked() {
        let glossary = """
            that anchor point to arrive at a final answer. Decision makers are biased towards an
            initially presented value [79]. 8, 9
            annotator reporting bias When users rely on automation as a heuristic replacement for
            their own information seeking and processing [268]. A form of individual bias but
            often discussed as a group bias, or the larger effects on natural language processing
            models. 8
            automation complacency When humans over-rely on automated systems or have their
            skills attenuated by such over-reliance (e.g., spelling and autocorrect or spellcheckers). 8
            availability heuristic Also referred to as availability bias. A mental shortcut whereby
            people tend to overweight what comes easily or quickly to mind.
            """
        let prose = "Human-based systems have the potential for bias, including automation bias and complacency."
        let answer = ExtractiveAnswerer().answer(
            question: "What is 'automation complacency'?",
            passages: [passage(1, "5 Glossary", glossary), passage(2, "3.3 Human factors", prose)])
        #expect(
            answer.text
                == "5 Glossary: 8 automation complacency When humans over-rely on automated systems or have their "
                + "skills attenuated by such over-reliance (e.g., spelling and autocorrect or spellcheckers). [1]")
        #expect(
            ExtractiveAnswerer.isGlossaryEntry(
                "Jailbreaking Methods that cause an AI model to act", section: "Appendix A. Glossary",
                of: ["jailbreak"]))
        #expect(
            !ExtractiveAnswerer.isGlossaryEntry(
                "Jailbreaking Methods that cause an AI model to act", section: "Practice 5.1", of: ["jailbreak"]))
        // "What is jailbreaking an AI model?" also quoted the next entry: "Model Theft" defines a model's theft.
        #expect(
            !ExtractiveAnswerer.isGlossaryEntry(
                "Model Theft Unauthorized access to information that substantially aids an actor",
                section: "Appendix A. Glossary", of: ["jailbreak", "ai", "model"]))
        #expect(
            ExtractiveAnswerer.isGlossaryEntry(
                "AI Red-Teaming A structured testing effort to find flaws", section: "Appendix A. Glossary",
                of: ExtractiveAnswerer.terms(of: "What is AI red-teaming?")))
    }

    /// "What is the OECD definition of an AI system?" put the OECD's definitions first, and the answer quoted the
    /// AI Act's "‘AI system’ means ..." from the third passage: the OECD writes its entries "Term: text".
    @Test func aDefinitionsSectionsTermEntryIsTheDefinitionAsked() {
        let oecd = """
            AGREES that for the purpose of this Recommendation the following terms should be understood as follows:

            AI system: An AI system is a machine-based system that can, for a given set of human-defined objectives, \
            make predictions, recommendations, or decisions influencing real or virtual environments.

            AI system lifecycle: AI system lifecycle phases involve design, data and models.
            """
        let act = "(1) ‘AI system’ means a machine-based system that is designed to operate with varying autonomy;"
        let answer = ExtractiveAnswerer().answer(
            question: "What is the OECD definition of an AI system?",
            passages: [passage(1, "Definitions", oecd), passage(2, "Article 3", act)])
        #expect(
            answer.text.hasPrefix("Definitions: AI system: An AI system is a machine-based system that can"),
            "\(answer.text)")
        #expect(!answer.text.contains("lifecycle"), "\(answer.text)")
        #expect(
            !ExtractiveAnswerer.isGlossaryEntry(
                "AI system: An AI system is a machine-based system", section: "III. Scope",
                of: ExtractiveAnswerer.terms(of: "What is an AI system?")))
    }

    /// A document's name in the question says where to look, not what to quote: with "NIST AI RMF" counted, every
    /// sentence saying "AI RMF" covered most of the question and the one naming the four functions was not quoted.
    @Test func theQuestionsDocumentNamesChooseNoSentence() {
        let core = """
            The AI RMF Core provides outcomes and actions that enable dialogue, understanding, and activities to \
            manage AI risks and responsibly develop trustworthy AI systems. As illustrated in Figure 5, the Core is \
            composed of four functions: GOVERN , MAP, MEASURE , and MANAGE. Each of these high-level functions is \
            broken down into categories and subcategories. AI RMF Core functions should be carried out in a way \
            that reflects diverse and multidisciplinary perspectives.
            """
        let question = "What are the four functions of the NIST AI RMF?"
        let passages = [passage(1, "5 AI RMF Core", core)]
        let names = DocumentNames(parsing: "nist\tnist-*\nai rmf\tnist-ai-100-1*\n")
        let answer = ExtractiveAnswerer(documentNames: names).answer(question: question, passages: passages)
        #expect(answer.text.contains("the Core is composed of four functions: GOVERN"), "\(answer.text)")
        let counted = ExtractiveAnswerer().answer(question: question, passages: passages)
        #expect(!counted.text.contains("four functions"), "names counted as terms: \(counted.text)")
    }

    /// The README's sample question ranked a chunk of Article 6(4) first, Article 71 second and Article 6(2) third;
    /// the answer opened with 6(4)'s exception and said 6(2), the rule, last. Quotes of one provision read
    /// together, in the law's order, where its first passage was.
    @Test func thePassagesOfOneProvisionAreQuotedTogetherInTheLawsOrder() {
        func part(_ number: Int, _ section: String, chunk: Int, _ text: String) -> Passage {
            Passage(
                number: number, chunkID: "c\(chunk)", documentID: "eu-ai-act", documentTitle: "EU AI Act",
                documentSource: "EUR-Lex", section: section, chunkIndex: chunk, text: text, score: 1)
        }
        let passages = [
            part(
                1, "Article 6", chunk: 341,
                "4. A provider who considers that an AI system referred to in Annex III is not high-risk shall "
                    + "document its assessment before that system is placed on the market."),
            part(
                2, "Article 71", chunk: 580,
                "1. The Commission shall set up and maintain an EU database concerning high-risk AI systems "
                    + "referred to in Article 6(2)."),
            part(
                3, "Article 6(2)", chunk: 339,
                "2. In addition to the high-risk AI systems referred to in paragraph 1, AI systems referred to in "
                    + "Annex III shall be considered to be high-risk."),
        ]
        let answer = ExtractiveAnswerer().answer(
            question: "Which AI systems count as high-risk?", passages: passages)
        let paragraphs = answer.text.components(separatedBy: "\n\n")
        #expect(paragraphs.count == 2, "\(answer.text)")
        #expect(paragraphs.first?.hasPrefix("Article 6(2): In addition to the high-risk AI systems") == true)
        #expect(paragraphs.first?.contains("[3] Article 6(4): A provider who considers") == true, "\(answer.text)")
        #expect(paragraphs.last?.hasPrefix("Article 71(1): The Commission") == true, "\(answer.text)")
        #expect(answer.citedSources == [3, 1, 2])
    }

    @Test func aHeadingOnlyPassageGivesNothingToQuote() {
        #expect(
            ProvisionStatements.statements(
                of: "CHAPTER II\nPROHIBITED AI PRACTICES\n\nArticle 5\nProhibited AI practices"
            ).isEmpty)
    }
}

@Suite struct PassageContinuationTests {
    private func passage(_ text: String) -> Passage {
        Passage(
            number: 1, chunkID: "c0", documentID: "eu-ai-act", documentTitle: "EU AI Act", documentSource: "EUR-Lex",
            section: "Article 5(1)", chunkIndex: 0, text: text, score: 1)
    }

    /// A list cut by the window reads on into the next chunks of its provision, joined where the text
    /// continues, until the list ends or the chunk allowance does; other passages are left alone.
    @Test func aListCutByTheWindowReadsOnIntoTheNextChunks() async {
        let next: [String: (chunkID: String, text: String)] = [
            "c0": ("c1", "\na manner that causes harm;\n(c) the use of social scoring;"),
            "c1": ("c2", "(d) the use of predictive policing;"),
            "c2": ("c3", "(e) never reached."),
        ]
        let cut = passage(
            "The following AI practices shall be prohibited: (a) subliminal techniques; (b) exploiting in")
        let extended = await PassageContinuation.extend([cut, passage("A plain sentence.")], maxChunks: 2) {
            next[$0]
        }
        #expect(
            extended[0].text
                == cut.text + "\na manner that causes harm;\n(c) the use of social scoring;"
                + "\n(d) the use of predictive policing;")
        #expect(extended[1].text == "A plain sentence.")
        let answer = ExtractiveAnswerer().answer(question: "Which AI practices are prohibited?", passages: extended)
        #expect(answer.text.contains("(b) exploiting in a manner that causes harm; [1] (c) the use of social scoring;"))

        // A passage that opens on a point is read from the chunk before, which holds the list's lead-in.
        let opening = Passage(
            number: 1, chunkID: "c1", documentID: "eu-ai-act", documentTitle: "EU AI Act", documentSource: "EUR-Lex",
            section: "Article 5(1)", chunkIndex: 1,
            text: "(c) the use of social scoring; (d) the use of predictive policing;",
            score: 1)
        let preceded = await PassageContinuation.precede([opening, passage("A plain sentence.")]) { id in
            id == "c1" ? ("c0", "The following AI practices shall be prohibited: (a) subliminal techniques;\n") : nil
        }
        #expect(preceded[0].text.hasPrefix("The following AI practices shall be prohibited: (a) subliminal"))
        #expect(preceded[0].text.hasSuffix(opening.text) && preceded[1].text == "A plain sentence.")
        let underLeadIn = ExtractiveAnswerer().answer(
            question: "Is predictive policing prohibited?", passages: [preceded[0]])
        #expect(underLeadIn.text.contains("The following AI practices shall be prohibited: [1]"), "\(underLeadIn.text)")
        #expect(underLeadIn.text.contains("(d) the use of predictive policing; [1]"))

        #expect(PassageContinuation.endsInsideList("The following shall be prohibited:"))
        #expect(!PassageContinuation.endsInsideList("(h) the last point."))
        let failing = await PassageContinuation.extend([cut]) { _ in throw CancellationError() }
        #expect(failing[0].text == cut.text)
    }
}

@Suite struct NamedProvisionAnswerTests {
    /// A passage of one of the NIST documents, as a search returns it first.
    private func nist(_ documentID: String, _ title: String, section: String, _ text: String) -> Passage {
        Passage(
            number: 1, chunkID: "c1", documentID: documentID, documentTitle: title, documentSource: "NIST",
            section: section, chunkIndex: 0, text: text, score: 1)
    }

    /// "What does GOVERN 1.1 ask organisations to do?" against the RMF's GOVERN 1.1 (its table layout, as
    /// pdftotext gives it): the learner named the provision, so its text is the answer even when the
    /// question's other words ("ask", the British "organisations") are not in it.
    @Test func aProvisionNamedInTheQuestionIsQuoted() {
        let text = """
            GOVERN 1:

            GOVERN 1.1: Legal and regulatory requirements involving AI

            Policies, processes,
            procedures, and
            practices across the
            organization related
            to the mapping,
            measuring, and
            managing of AI
            risks are in place,
            transparent, and
            implemented
            effectively.

            are understood, managed, and documented.
            """
        let passage = nist("nist-ai-100-1", "NIST AI RMF 1.0", section: "GOVERN 1.1", text)
        let answer = ExtractiveAnswerer().answer(
            question: "What does GOVERN 1.1 ask organisations to do?", passages: [passage])
        #expect(answer.matched, "\(answer.text)")
        #expect(answer.text.contains("[1]"))
        // The row is read whole around the category column that pdftotext put inside it, which comes first under
        // its own label.
        #expect(answer.text.hasPrefix("GOVERN 1: Policies, processes, procedures, and practices"), "\(answer.text)")
        #expect(
            answer.text.contains(
                "GOVERN 1.1: Legal and regulatory requirements involving AI are understood, managed, and documented. [1]"
            ), "\(answer.text)")
        // Named means the label as a whole: Article 50 is not Article 5, and a bare number names nothing.
        #expect(ExtractiveAnswerer.question("What does Article 5 ban?", names: "Article 5(1)"))
        #expect(!ExtractiveAnswerer.question("What does Article 50 require?", names: "Article 5(1)"))
        #expect(!ExtractiveAnswerer.question("What is in Article 5.2?", names: "Article 5"))
        #expect(ExtractiveAnswerer.question("Explain GOVERN 1.1.", names: "GOVERN 1.1"))
        #expect(!ExtractiveAnswerer.question("What is a risk?", names: "Preamble"))
    }

    /// pdftotext reads the AI RMF's two-column tables with the category's narrow column inside the first row of
    /// each category: "GOVERN 2.1: Roles and responsibilities and lines of communi-", the category's eleven short
    /// lines, then "cation related to mapping, ...". The row is joined again (its hyphen too) and the category's
    /// text stands before it, under the category's label.
    @Test func aTableRowSplitByItsCategoryColumnIsReadWhole() {
        let text = """
            GOVERN 2:

            GOVERN 2.1: Roles and responsibilities and lines of communi-

            Accountability
            structures are in
            place so that the
            appropriate teams
            and individuals are
            empowered,
            responsible, and
            trained for mapping,
            measuring, and
            managing AI risks.

            cation related to mapping, measuring, and managing AI risks are
            documented and are clear to individuals and teams throughout
            the organization.
            """
        let statements = ProvisionStatements.statements(of: text).map(\.text)
        #expect(
            statements == [
                "Accountability structures are in place so that the appropriate teams and individuals are empowered, "
                    + "responsible, and trained for mapping, measuring, and managing AI risks.",
                "GOVERN 2.1: Roles and responsibilities and lines of communication related to mapping, measuring, and "
                    + "managing AI risks are documented and are clear to individuals and teams throughout the "
                    + "organization.",
            ])
        let passage = nist("nist-ai-100-1", "NIST AI RMF 1.0", section: "GOVERN 2.1", text)
        let answer = ExtractiveAnswerer().answer(
            question: "Are roles, responsibilities and accountability structures for managing AI risks documented?",
            passages: [passage])
        #expect(answer.text.hasPrefix("GOVERN 2: Accountability structures are in place"), "\(answer.text)")
        #expect(answer.text.contains("[1] GOVERN 2.1: Roles and responsibilities and lines of communication"))
        // A row whose line holds its label alone ("MANAGE 1.1:") is joined the same way; a table's caption is never
        // quoted.
        let bare =
            "MANAGE 1.1:\n\nrisks based on\nassessments and\nother analytical\noutput are managed.\n\n"
            + "A determination is made as to whether the AI system achieves its intended purposes."
        #expect(
            ProvisionStatements.statements(of: bare).map(\.text) == [
                "MANAGE 1.1: A determination is made as to whether the AI system achieves its intended purposes."
            ])
        #expect(ExtractiveAnswerer.isCaption("Table 2: Categories and subcategories for the MAP function."))
        #expect(!ExtractiveAnswerer.isCaption("Table salt is sodium chloride, a mineral."))
        // Ordinary short lines are no column: a row with nothing of the kind after it is left as it is.
        let plain = "GOVERN 3.1: Decision-making is informed by a diverse team.\n\nShort one.\nShort two.\n"
        #expect(ProvisionStatements.withTableRowsRejoined(plain) == plain)
    }

    /// The AI RMF's table rows open with their label, and a blank line inside a row cuts its sentence ("GOVERN 1.3:
    /// Processes, procedures, and practices are in place" / "to determine ..."): the answer said the label twice
    /// ("MAP 1.1: MAP 1.1: Intended purposes ...") and dropped the rest of the row as a fragment. A statement
    /// opening with a subcategory's label is quoted under that label, once and whole, also in a chunk labelled
    /// with another subcategory (the chunker packs short units of one group).
    @Test func aSubcategoryInAnotherSubcategorysChunkIsQuotedUnderItsOwnLabel() {
        let text = """
            GOVERN 1.2:

            The characteristics of trustworthy AI are integrated into organizational policies, processes, \
            procedures, and practices.
            GOVERN 1.3: Processes, procedures, and practices are in place

            to determine the needed level of risk management activities based
            on the organization’s risk tolerance.
            GOVERN 1.4: The risk management process and its outcomes are

            established through transparent policies, procedures, and other
            controls based on organizational risk priorities.
            """
        let passage = nist("nist-ai-100-1", "NIST AI RMF 1.0", section: "GOVERN 1.1", text)
        let answer = ExtractiveAnswerer().answer(
            question: "Which subcategory sets the needed level of risk management activities by risk tolerance?",
            passages: [passage])
        #expect(
            answer.text.hasPrefix(
                "GOVERN 1.3: Processes, procedures, and practices are in place to determine the needed level of risk "
                    + "management activities based on the organization’s risk tolerance. [1]"), "\(answer.text)")
        #expect(!answer.text.contains("GOVERN 1.1"), "\(answer.text)")
        let integrated = ExtractiveAnswerer().answer(
            question: "Are the characteristics of trustworthy AI integrated into organizational policies?",
            passages: [passage])
        #expect(integrated.text.hasPrefix("GOVERN 1.2: The characteristics of trustworthy AI"), "\(integrated.text)")
    }

    /// NIST AI 800-1's practices open with their own label ("Practice 1.1: Identify ..."), which the answer said
    /// twice ("Practice 1.1: Practice 1.1: Identify ..."), and its pages carry the report's running title, which
    /// an answer quoted as a statement ("Practice 3.2: Managing Misuse Risk for Dual-Use Foundation Models U.S.
    /// AI Safety Institute [3]").
    @Test func aPracticeIsLabelledOnceAndARunningTitleIsNeverQuoted() {
        let text = """
            Practice 1.1: Identify and maintain a list of threat profiles that covers significant ways in which \
            malicious actors might misuse the model.

            Managing Misuse Risk for Dual-Use Foundation Models U.S. AI Safety Institute

            Consider the misuse risk of dual-use foundation models when deciding how to release the model.
            """
        let passage = nist("nist-ai-800-1", "NIST AI 800-1", section: "Practice 1.1", text)
        let answer = ExtractiveAnswerer().answer(
            question: "How should developers of foundation models manage misuse risk by malicious actors?",
            passages: [passage])
        #expect(answer.text.hasPrefix("Practice 1.1: Identify and maintain a list"), "\(answer.text)")
        #expect(!answer.text.contains("Practice 1.1: Practice 1.1"), "\(answer.text)")
        #expect(!answer.text.contains("Safety Institute [1]"), "\(answer.text)")
        #expect(answer.text.contains("Consider the misuse risk"), "\(answer.text)")
    }

    /// A title closed by a full stop is still a title: the Playbook's resource lists run on past a chunk's start
    /// without their "References" line ("Microsoft Research AI Fairness Checklist."), and EO 14179's section
    /// titles end in one ("Artificial Intelligence Action Plan.").
    @Test func aShortTitleWithAFullStopIsNeverQuoted() {
        let text = """
            Microsoft Research AI Fairness Checklist.
            PEAT AI & Disability Inclusion Toolkit – Risks of Bias and Discrimination in AI Hiring Tools.

            Organizations should assess AI hiring tools for the risks of bias and discrimination they pose.
            """
        let passage = nist("nist-ai-rmf-playbook", "NIST AI RMF Playbook", section: "MAP 5.2", text)
        let answer = ExtractiveAnswerer().answer(
            question: "Are AI hiring tools checked for bias and discrimination?", passages: [passage])
        #expect(answer.text.hasPrefix("MAP 5.2: Organizations should assess AI hiring tools"), "\(answer.text)")
        #expect(!answer.text.contains("Checklist") && !answer.text.contains("PEAT"), "\(answer.text)")
        // A sentence is not a title for its capitals alone: most of its words must be capitalised, and it must be short.
        #expect(!ExtractiveAnswerer.isTitleLike("The AI Office shall publish the list of General-Purpose AI Models."))
        #expect(ExtractiveAnswerer.isTitleLike("Artificial Intelligence Action Plan."))
    }

    /// The GenAI profile's section title ran into the first sentence after it: "2.5 Environmental Impacts:
    /// Environmental Impacts Training, maintaining, ...". The quote says the title once, in its label.
    @Test func aSectionTitleRunIntoTheFirstSentenceIsSaidOnce() {
        let text = """
            Environmental Impacts Training, maintaining, and operating (running inference on) GAI systems are \
            resource-intensive activities, with potentially large energy and environmental footprints.
            """
        let passage = nist("nist-ai-600-1", "NIST AI 600-1", section: "2.5 Environmental Impacts", text)
        let answer = ExtractiveAnswerer().answer(
            question: "What is the environmental footprint of generative AI?", passages: [passage])
        #expect(
            answer.text
                == "2.5 Environmental Impacts: Training, maintaining, and operating (running inference on) GAI "
                + "systems are resource-intensive activities, with potentially large energy and environmental "
                + "footprints. [1]")
        #expect(ExtractiveAnswerer.title(ofLabel: "Article 5: ") == nil)
        // The title may run into a quoted term: "2.2 Confabulation: Confabulation “Confabulation” refers to ...".
        let term = nist(
            "nist-ai-600-1", "NIST AI 600-1", section: "2.2 Confabulation",
            "Confabulation “Confabulation” refers to a phenomenon in which GAI systems generate and confidently "
                + "present erroneous or false content in response to prompts.")
        let confabulation = ExtractiveAnswerer().answer(
            question: "What is confabulation in generative AI?", passages: [term])
        #expect(confabulation.text.hasPrefix("2.2 Confabulation: “Confabulation” refers to"), "\(confabulation.text)")
    }

    /// The AI RMF and its Playbook state MEASURE 2.6 in nearly the same words; the answer to "What does it mean for
    /// an AI system to be safe in NIST's view?" quoted both.
    @Test func aStatementRestatedInNearlyTheSameWordsIsSaidOnce() {
        let framework = nist(
            "nist-ai-100-1", "NIST AI 100-1", section: "MEASURE 2.6",
            "The AI system to be deployed is demonstrated to be safe, its residual negative risk does not exceed the "
                + "risk tolerance, and can fail safely, particularly if made to operate beyond its knowledge limits.")
        let playbook = nist(
            "nist-ai-rmf-playbook", "NIST AI RMF Playbook", section: "MEASURE 2.6",
            "The AI system to be deployed is demonstrated to be safe, its residual negative risk does not exceed the "
                + "risk tolerance, and it can fail safely, particularly if made to operate beyond its knowledge limits."
        )
        let answer = ExtractiveAnswerer().answer(
            question: "What does it mean for an AI system to be safe in NIST's view?", passages: [framework, playbook])
        #expect(answer.text.components(separatedBy: "demonstrated to be safe").count == 2, "\(answer.text)")
        #expect(!ExtractiveAnswerer.restates("the ai system shall be safe", "the ai system shall be secure"))
    }

    /// The Playbook's parts of a subcategory are headed by lines of their own ("About", "Suggested Actions",
    /// "Transparency & Documentation"), which a single line break glued onto the first sentence after them: "MEASURE
    /// 2.3: About The current risk and impact environment suggests ...".
    @Test func thePlaybooksPartHeadingsAreNotQuoted() {
        let text = """
            About
            The current risk and impact environment suggests AI system performance estimates are insufficient.
            Suggested Actions
            • Conduct regular and sustained engagement with potentially impacted communities.
            Transparency & Documentation
            Organizations can document the following
            • To what extent has the entity defined and documented the regulatory environment?
            """
        let statements = ProvisionStatements.statements(of: text).map(\.text)
        #expect(
            statements.first
                == "The current risk and impact environment suggests AI system performance estimates are insufficient.")
        #expect(!statements.contains { $0.hasPrefix("Suggested Actions") || $0.hasPrefix("Transparency &") })
        #expect(statements.contains { $0.hasPrefix("• Conduct regular and sustained engagement") }, "\(statements)")
    }

    /// Each subcategory of the NIST AI RMF Playbook ends with its "AI Transparency Resources" and "References",
    /// whose entries ("GAO-21-519SP: AI Accountability Framework ...", "Board of Governors of the Federal Reserve
    /// System.") were quoted as if the Playbook said them. What follows such a heading is not quoted, up to the
    /// next subcategory.
    @Test func thePlaybooksResourcesAndReferencesAreNeverQuoted() {
        let text = """
            Suggested Actions
            • Establish risk tolerance levels for AI systems and allocate the appropriate oversight resources to each \
            level.
            AI Transparency Resources
            • GAO-21-519SP: AI Accountability Framework for Federal Agencies & Other Entities.
            References
            Board of Governors of the Federal Reserve System. SR 11-7: Guidance on Model Risk
            Management. (April 4, 2011).
            GOVERN 1.4
            The risk management process and its outcomes are established through transparent
            policies, procedures, and other controls based on organizational risk priorities.
            """
        let passage = nist("nist-ai-rmf-playbook", "NIST AI RMF Playbook", section: "GOVERN 1.3", text)
        let answer = ExtractiveAnswerer().answer(
            question: "What does the playbook say about accountability frameworks and model risk management?",
            passages: [passage])
        #expect(answer.matched)
        #expect(!answer.text.contains("GAO-21") && !answer.text.contains("Board of Governors"), "\(answer.text)")
        #expect(answer.text.contains("The risk management process and its outcomes"), "\(answer.text)")
    }
}
