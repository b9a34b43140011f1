import Foundation
import Testing

@testable import APIServer

/// The multipart parser's boundary search on hostile bodies.
@Suite struct MultipartSearchTests {
    @Test func aFiveMegabytePartOfNearBoundaryBytesParsesInOnePass() throws {
        let boundary = String(repeating: "b", count: 69) + "X"
        // Every 74 bytes a delimiter that fails only at its last byte, with partial starts in between.
        let near = Array("\r\n--\(boundary.dropLast())Y\r\n-\r\r\n--b".utf8)
        var payload: [UInt8] = []
        payload.reserveCapacity(5 << 20)
        while payload.count < 5 << 20 { payload += near }
        let disposition = "Content-Disposition: form-data; name="
        var body = Data("--\(boundary)\r\n\(disposition)\"file\"; filename=\"a.bin\"\r\n\r\n".utf8)
        body += payload
        body += Data("\r\n--\(boundary)\r\n\(disposition)\"title\"\r\n\r\nT\r\n--\(boundary)--\r\n".utf8)
        let clock = ContinuousClock()
        let started = clock.now
        let parts = try MultipartFormData.parse(body, boundary: boundary)
        let elapsed = clock.now - started
        #expect(parts.count == 2)
        #expect(parts[0].name == "file" && parts[0].body == Data(payload))
        #expect(parts[1].name == "title" && parts[1].body == Data("T".utf8))
        // One pass of memmem over 5 MB is a few milliseconds; the bound leaves room for a loaded machine.
        #expect(elapsed < .seconds(1), "\(elapsed)")
    }

    @Test func findAgreesWithANaiveSearch() {
        let haystack = Array("xx\r\n--ab\r\n--a\r\n--abc--".utf8)
        #expect(MultipartFormData.find(Array("\r\n--abc".utf8), in: haystack, from: 0) == 13)
        #expect(MultipartFormData.find(Array("\r\n--ab".utf8), in: haystack, from: 3) == 13)
        #expect(MultipartFormData.find(Array("zz".utf8), in: haystack, from: 0) == nil)
        #expect(MultipartFormData.find(Array("x".utf8), in: haystack, from: haystack.count) == nil)
        #expect(MultipartFormData.find(Array("x".utf8), in: [], from: 0) == nil)
    }

    @Test func boundariesOutsideRFC2046AreRefused() {
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=----WebKit12ab") != nil)
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=\"a\rb\"") == nil)
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=\"ab \"") == nil)
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=a;b") != nil)
    }
}
