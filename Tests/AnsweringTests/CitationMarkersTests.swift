import Answering
import Testing

@Suite struct CitationMarkersTests {
    @Test func citedNumbersInOrderOfFirstUse() {
        let text = "High-risk systems are listed in Annex III [2]. Providers must register [1, 3][2]."
        #expect(CitationMarkers.cited(in: text, sourceCount: 3) == [2, 1, 3])
    }

    @Test func numbersOutsideTheSourcesAreNotCitations() {
        #expect(CitationMarkers.cited(in: "See [0] and [4] and [2].", sourceCount: 3) == [2])
        #expect(CitationMarkers.cited(in: "See [1].", sourceCount: 0) == [])
    }

    @Test func invalidMarkersAreRemovedAndValidOnesKept() {
        let text = "A [1]. B [7]. C [2, 9]. Article 6(1)(a) stays."
        #expect(
            CitationMarkers.removingInvalid(from: text, sourceCount: 2) == "A [1]. B . C [2]. Article 6(1)(a) stays.")
    }
}
