import DocumentFixtures
import Documents
import Foundation
import Testing

/// NIST AI 100-1 (AI RMF 1.0): subcategory ids and numbered headings survive as sections.
@Suite struct NISTTests {
    @Test func pdfInformationGivesTitleAndPages() throws {
        let document = try Fixtures.cache.document(Fixtures.rmfPDF)
        #expect(document.title == "Artificial Intelligence Risk Management Framework (AI RMF 1.0)")
        #expect(document.metadata["pages"] == "48")
        #expect(document.pages.first?.page == 1)
        #expect(document.pages.last?.page == 48)
    }

    @Test func uploadedBytesGiveTheSameDocumentAsTheFile() throws {
        let file = try Fixtures.cache.document(Fixtures.rmfPDF)
        let bytes = try Data(contentsOf: Fixtures.url(Fixtures.rmfPDF))
        let upload = try DocumentLoader().load(
            data: bytes, fileName: "upload.pdf", options: .init(id: "rmf", source: "nist.gov"))
        #expect(upload.text == file.text)
        #expect(upload.contentHash == file.contentHash)
        #expect(upload.pages == file.pages)
        #expect(upload.id == "rmf")
        #expect(upload.source == "nist.gov")
        #expect(upload.title == file.title)
    }

    @Test func subcategoryIdsAreSections() throws {
        let chunks = try Fixtures.cache.chunks(Fixtures.rmfPDF)
        let found = sections(chunks)
        for id in ["GOVERN 1.1", "GOVERN 6.2", "MAP 2.3", "MEASURE 2.11", "MANAGE 4.1", "MANAGE 4.3"] {
            #expect(found.contains(id), "no chunk with section \(id)")
        }
        let govern11 = try #require(chunks.first { $0.section == "GOVERN 1.1" })
        #expect(govern11.text.contains("Legal and regulatory requirements involving AI"))
        // Printed "Page 22" is page 27 of the PDF file.
        #expect(govern11.pageStart == 27)
    }

    @Test func numberedHeadingsSplitAcrossLinesAreJoined() throws {
        let chunks = try Fixtures.cache.chunks(Fixtures.rmfPDF)
        let found = sections(chunks)
        #expect(found.contains("3.1 Valid and Reliable"))
        #expect(found.contains("3.7 Fair – with Harmful Bias Managed") || found.contains("3.7 Fair"))
        let valid = try #require(chunks.first { $0.section == "3.1 Valid and Reliable" })
        #expect(valid.headingPath == ["3 AI Risks and Trustworthiness", "3.1 Valid and Reliable"])
    }

    @Test func chunksKeepTheContractAndWordsAreRejoined() throws {
        let document = try Fixtures.cache.document(Fixtures.rmfPDF)
        expectChunkInvariants(try Fixtures.cache.chunks(Fixtures.rmfPDF), of: document)
        // "decom-" / "missioning" across a table cell; "socio-technical" keeps its hyphen.
        #expect(document.text.contains("in place for decommissioning"))
        #expect(document.text.contains("socio-technical"))
        #expect(!document.text.contains("decom-"))
        let lines = document.text.split(separator: "\n")
        #expect(!lines.contains("NIST AI 100-1"), "running header left in the text")
        #expect(!lines.contains { $0.hasPrefix("Page ") && $0.dropFirst(5).allSatisfy(\.isNumber) })
    }
}
