import Testing

@testable import Answering

@Suite struct GroundingCheckTests {
    @Test func everyParagraphMustCiteAValidSource() {
        let grounded = GroundingCheck(text: "First point [1].\n\nSecond point [2, 3].", sourceCount: 3)
        #expect(grounded.grounded)
        #expect(grounded.citedSources == [1, 2, 3])

        let missing = GroundingCheck(text: "First point [1].\n\nSecond point without one.", sourceCount: 3)
        #expect(!missing.grounded)

        let invalidOnly = GroundingCheck(text: "First point [1].\n  \nSecond point [8].", sourceCount: 3)
        #expect(!invalidOnly.grounded)
        #expect(invalidOnly.text == "First point [1].\n  \nSecond point .")
        #expect(invalidOnly.citedSources == [1])
    }

    /// One marker at the end of a paragraph no longer covers the sentences before it (issue 14).
    @Test func everySentenceMustCiteASourceOfItsOwn() {
        let check = GroundingCheck(
            text: "Providers must keep logs. They must register the system [1].\n\nDeployers must monitor it [2].",
            sourceCount: 2)
        #expect(!check.grounded)
        #expect(check.unsupportedSentences == ["Providers must keep logs."])
        #expect(check.citedSources == [1, 2])
        let supported = GroundingCheck(
            text: "Providers must keep logs [1]. They must register it [1, 2].", sourceCount: 2)
        #expect(supported.grounded && supported.unsupportedSentences.isEmpty)
    }

    @Test func aMarkerAfterTheFullStopBelongsToItsSentence() {
        let check = GroundingCheck(text: "Providers must keep logs. [1] Deployers must monitor it. [2]", sourceCount: 2)
        #expect(check.grounded)
        #expect(check.unsupportedSentences.isEmpty)
    }

    @Test func headingsAndLeadInsNeedNoMarkerButListItemsDo() {
        let text = """
            ## Obligations
            **Providers**
            The duties are:
            - establish a risk management system [1]
            - keep logs for ten years
            """
        let check = GroundingCheck(text: text, sourceCount: 1)
        #expect(check.unsupportedSentences == ["- keep logs for ten years"])
        #expect(!check.grounded)
        #expect(GroundingCheck(text: "Intro line\n- item one [1]\n- item two [2]", sourceCount: 2).grounded)
        #expect(GroundingCheck.paragraphs(of: "a\nb\n\n\n c \r\n\r\nd") == ["a\nb", " c ", "d"])
    }

    @Test func aSentenceWhoseOnlyMarkerWasInvalidIsUnsupported() {
        let check = GroundingCheck(
            text: "Fines reach EUR 35 million [9]. The AI Office oversees it [1].", sourceCount: 3)
        #expect(check.unsupportedSentences == ["Fines reach EUR 35 million."])
        #expect(!check.grounded)
    }

    @Test func headingsAloneAreNotGrounded() {
        #expect(!GroundingCheck(text: "## Obligations", sourceCount: 2).grounded)
    }

    @Test func emptyTextIsNotGrounded() {
        #expect(!GroundingCheck(text: "", sourceCount: 2).grounded)
        #expect(!GroundingCheck(text: " \n\n ", sourceCount: 2).grounded)
        #expect(!GroundingCheck(text: "Claim [1].", sourceCount: 0).grounded)
    }
}

@Suite struct CitationStreamFilterTests {
    static let samples = [
        "Providers must act [1]. Deployers too [2][7]. Fines [9]!", "Bad [12345] and [1,  9] and [ 2] and [[3]",
        "Nested [1[2]] ends [", "Array a[0] and [x] and [3, ] and [2,3] [4 , 1].\n\n[7]", "No markers at all.",
        "Unicode — “[2]” 🤖 [٣] end",
    ]

    @Test func anySplitGivesWhatRemovingInvalidGivesOnTheWhole() {
        for text in Self.samples {
            let expected = CitationMarkers.removingInvalid(from: text, sourceCount: 3)
            let characters = Array(text)
            for cut in 0...characters.count {
                for second in cut...characters.count {
                    var filter = CitationStreamFilter(sourceCount: 3)
                    let output =
                        filter.push(String(characters[..<cut])) + filter.push(String(characters[cut..<second]))
                        + filter.push(String(characters[second...])) + filter.finish()
                    #expect(output == expected, "\(text) split at \(cut), \(second)")
                }
            }
        }
    }

    @Test func characterByCharacter() {
        for text in Self.samples {
            var filter = CitationStreamFilter(sourceCount: 3)
            let output = text.map { filter.push(String($0)) }.joined() + filter.finish()
            #expect(output == CitationMarkers.removingInvalid(from: text, sourceCount: 3))
        }
    }

    @Test func textIsReleasedAsSoonAsItCannotBeAMarker() {
        var filter = CitationStreamFilter(sourceCount: 3)
        #expect(filter.push("See [") == "See ")
        #expect(filter.push("1") == "")
        #expect(filter.push("]. And [x") == "[1]. And [x")
        #expect(filter.push(" [9") == " ")
        #expect(filter.push("] done") == " done")
    }
}
