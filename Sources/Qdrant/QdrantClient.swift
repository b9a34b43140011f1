import AsyncHTTPClient
import ConcurrencySupport
import Foundation
import NIOCore
import NIOHTTP1
import Retrieval

/// A client of Qdrant's REST API for one collection of chunk points (ARCHITECTURE.md sections 5 and 6).
///
/// Writes wait for Qdrant to apply them (`?wait=true`): when a write returns, the points are searchable and
/// durable, which is what lets the mirror mark its outbox rows done. Every request is idempotent, so transient
/// failures (429, 502-504, connection errors, timeouts) are retried as ``QdrantRetryPolicy`` says, honouring
/// `Retry-After`. Failures are ``QdrantError`` values whose messages never hold the API key.
///
/// The `HTTPClient` belongs to whoever made it; the default is the process-wide ``sharedHTTPClient``.
public final class QdrantClient: Sendable {
    /// Where and how this client talks.
    public let configuration: QdrantConfiguration
    let httpClient: HTTPClient
    let baseURL: String
    let collectionPath: String

    /// Most points per upsert request.
    public static let maxPointsPerRequest = 256
    /// Largest upsert body in bytes (8 MiB).
    public static let maxBytesPerRequest = 8 << 20

    /// A client over `httpClient`. Throws `qdrant_invalid_configuration` for a URL that is not absolute http(s),
    /// an empty or unusable collection name, or an API key an HTTP header cannot carry.
    public init(configuration: QdrantConfiguration, httpClient: HTTPClient = sharedHTTPClient) throws(QdrantError) {
        guard var components = URLComponents(string: configuration.url),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else {
            throw QdrantError(.invalidConfiguration, "QDRANT_URL must be an absolute http or https URL")
        }
        // Credentials in the URL would be sent nowhere useful and would end up in logs: refuse them.
        guard components.user == nil, components.password == nil else {
            throw QdrantError(.invalidConfiguration, "QDRANT_URL must not hold credentials; use QDRANT_API_KEY")
        }
        let name = configuration.collection
        guard !name.isEmpty, name.utf8.count <= 255,
            name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || "0123456789_-.".unicodeScalars.contains($0) }
            )
        else {
            throw QdrantError(
                .invalidConfiguration, "QDRANT_COLLECTION must be 1-255 letters, digits, '_', '-' or '.'")
        }
        if let key = configuration.apiKey, key.isEmpty || !key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            throw QdrantError(.invalidConfiguration, "QDRANT_API_KEY contains characters an HTTP header cannot carry")
        }
        components.query = nil
        components.fragment = nil
        var base = components.string ?? configuration.url
        while base.hasSuffix("/") { base.removeLast() }
        self.configuration = configuration
        self.httpClient = httpClient
        baseURL = base
        collectionPath = "/collections/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
    }

    /// `HTTPClient` settings for Qdrant: no redirects (a request with a key has no business being redirected),
    /// a 5 s connect timeout, and failed connections not retried by the pool, so an unreachable Qdrant fails
    /// an attempt at once and ``QdrantRetryPolicy`` alone decides about retrying.
    public static var httpConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// A process-wide `HTTPClient` with ``httpConfiguration``, never shut down.
    public static let sharedHTTPClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: httpConfiguration)

    // MARK: Collection

    /// The collection's vector settings, or nil when it does not exist.
    public func collectionInfo() async throws(QdrantError) -> QdrantCollectionInfo? {
        do {
            let info: QdrantBodies.CollectionInfo = try await call(.GET, collectionPath, body: nil)
            return Self.describe(info)
        } catch  where error.code == .notFound {
            return nil
        }
    }

    /// Creates the collection when it is missing (cosine distance, `dimension`-sized vectors) and makes sure
    /// the payload indexes exist. Returns true when it created the collection.
    ///
    /// - Throws: `qdrant_collection_mismatch` when the collection exists with another size or distance: its
    ///   points were made by another model, and mixing them would make every search wrong.
    @discardableResult
    public func ensureCollection(dimension: Int) async throws(QdrantError) -> Bool {
        guard dimension > 0 else { throw QdrantError(.invalidConfiguration, "the vector dimension must be positive") }
        var created = false
        if let info = try await collectionInfo() {
            try check(info, dimension: dimension)
        } else {
            do {
                let body = QdrantBodies.CreateCollection(
                    vectors: QdrantBodies.VectorParams(size: dimension, distance: "Cosine"))
                let _: QdrantBodies.Ignored = try await call(.PUT, collectionPath, body: try encode(body))
                created = true
            } catch  where error.code == .badRequest && error.httpStatus == 409 {
                // Created meanwhile (another replica, or an attempt whose answer was lost): check it instead.
                guard let info = try await collectionInfo() else { throw error }
                try check(info, dimension: dimension)
            }
        }
        try await createPayloadIndexes()
        return created
    }

    /// Creates the keyword indexes of the filtered payload fields (a no-op for those that exist).
    func createPayloadIndexes() async throws(QdrantError) {
        for field in QdrantChunkPayload.indexedKeywordFields {
            let body = QdrantBodies.CreateFieldIndex(fieldName: field, fieldSchema: "keyword")
            let _: QdrantBodies.Ignored = try await call(
                .PUT, collectionPath + "/index", query: "wait=true", body: try encode(body))
        }
    }

    private func check(_ info: QdrantCollectionInfo, dimension: Int) throws(QdrantError) {
        guard info.vectorSize == dimension, info.distance?.lowercased() == "cosine" else {
            let size = info.vectorSize.map(String.init) ?? "named vectors"
            throw QdrantError(
                .collectionMismatch,
                "collection \(configuration.collection) has vectors of size \(size) with distance "
                    + "\(info.distance ?? "unknown"); aigov needs size \(dimension) with Cosine. Use another "
                    + "QDRANT_COLLECTION or delete the collection and run `aigov sync --verify --repair`")
        }
    }

    // MARK: Points

    /// Upserts `points` in as many requests as the limits need (at most ``maxPointsPerRequest`` points and
    /// ``maxBytesPerRequest`` bytes each), in order, each acknowledged with `wait=true`. Returns the number of
    /// requests made. A failure leaves earlier batches applied: re-pushing them is harmless.
    @discardableResult
    public func upsert(_ points: [QdrantPoint]) async throws(QdrantError) -> Int {
        var requests = 0
        for batch in try Self.batches(points) {
            let _: QdrantBodies.UpdateResult = try await call(
                .PUT, collectionPath + "/points", query: "wait=true", body: batch)
            requests += 1
        }
        return requests
    }

    /// The request bodies for `points`: `{"points":[...]}` within both limits.
    static func batches(_ points: [QdrantPoint]) throws(QdrantError) -> [Data] {
        let head = Data(#"{"points":["#.utf8)
        let tail = Data("]}".utf8)
        var bodies: [Data] = []
        var body = head
        var count = 0
        let encoder = JSONEncoder()
        for point in points {
            guard point.isFinite else {
                throw QdrantError(.invalidConfiguration, "point \(point.id) has a non-finite vector component")
            }
            let encoded: Data
            do {
                encoded = try encoder.encode(point)
            } catch {
                throw QdrantError(.invalidConfiguration, "point \(point.id) could not be encoded")
            }
            guard head.count + encoded.count + tail.count <= maxBytesPerRequest else {
                throw QdrantError(.invalidConfiguration, "point \(point.id) alone is larger than 8 MiB")
            }
            if count > 0
                && (count == maxPointsPerRequest || body.count + 1 + encoded.count + tail.count > maxBytesPerRequest)
            {
                bodies.append(body + tail)
                body = head
                count = 0
            }
            if count > 0 { body.append(UInt8(ascii: ",")) }
            body.append(encoded)
            count += 1
        }
        if count > 0 { bodies.append(body + tail) }
        return bodies
    }

    /// Deletes the points with these ids (absent ones are ignored), 256 ids per request.
    public func delete(ids: [String]) async throws(QdrantError) {
        for start in stride(from: 0, to: ids.count, by: Self.maxPointsPerRequest) {
            let slice = Array(ids[start..<min(start + Self.maxPointsPerRequest, ids.count)])
            let _: QdrantBodies.UpdateResult = try await call(
                .POST, collectionPath + "/points/delete", query: "wait=true",
                body: try encode(QdrantBodies.DeleteByIDs(points: slice)))
        }
    }

    /// Deletes every point whose payload `document_id` is `documentID`.
    public func delete(documentID: String) async throws(QdrantError) {
        let _: QdrantBodies.UpdateResult = try await call(
            .POST, collectionPath + "/points/delete", query: "wait=true",
            body: try encode(QdrantBodies.DeleteByFilter(filter: QdrantFilter(documentID: documentID))))
    }

    /// The `limit` points nearest to `vector` that pass `filter`, best first, with their payloads
    /// (`POST /collections/{c}/points/query`).
    ///
    /// Document ids, sources and document types are filtered by Qdrant. A section prefix cannot be (it must
    /// continue at a boundary: `Article 6` admits `Article 6(1)` but not `Article 60`), so the client asks for
    /// more points and keeps those whose payload section continues the prefix; a rare section may then give
    /// fewer than `limit` points.
    public func query(
        vector: [Float], limit: Int, filter: SearchFilter = SearchFilter()
    ) async throws(QdrantError) -> [QdrantScoredPoint] {
        guard limit > 0 else { throw QdrantError(.invalidConfiguration, "the query limit must be positive") }
        let prefix = filter.sectionPrefix
        let asked = prefix == nil ? limit : min(max(8 * limit, 256), 4096)
        let body = QdrantBodies.Query(query: vector, limit: asked, filter: QdrantFilter(filter), withPayload: true)
        let result: QdrantBodies.QueryResult = try await call(
            .POST, collectionPath + "/points/query", body: try encode(body))
        var points = result.points.map { QdrantScoredPoint(id: $0.id.value, score: $0.score, payload: $0.payload) }
        if let prefix {
            points = points.filter { point in
                SearchFilter.section(point.payload?.section ?? "", continues: prefix)
            }
        }
        return Array(points.prefix(limit))
    }

    /// How many points the collection holds (exact count).
    public func count() async throws(QdrantError) -> Int {
        let result: QdrantBodies.CountResult = try await call(
            .POST, collectionPath + "/points/count", body: try encode(QdrantBodies.Count(filter: nil, exact: true)))
        return result.count
    }

    /// Every point's id and payload, page by page (for verification; vectors are not fetched).
    public func scrollAll(pageSize: Int = 256) async throws(QdrantError) -> [QdrantRecord] {
        var records: [QdrantRecord] = []
        var offset: QdrantBodies.PointID?
        repeat {
            let body = QdrantBodies.Scroll(limit: pageSize, offset: offset, withPayload: true, withVector: false)
            let page: QdrantBodies.ScrollResult = try await call(
                .POST, collectionPath + "/points/scroll", body: try encode(body))
            records += page.points.map { QdrantRecord(id: $0.id.value, payload: $0.payload) }
            offset = page.nextPageOffset
        } while offset != nil
        return records
    }

    // MARK: Requests and retries

    private static let clock = ContinuousClock()

    func encode(_ body: some Encodable) throws(QdrantError) -> Data {
        do {
            return try JSONEncoder().encode(body)
        } catch {
            throw QdrantError(.invalidConfiguration, "the request body could not be encoded")
        }
    }

    /// One operation: the request, retried while the failure is transient and the policy and deadline allow,
    /// decoded from Qdrant's `{"result": ...}` envelope.
    func call<Result: Decodable>(
        _ method: HTTPMethod, _ path: String, query: String? = nil, body: Data?
    ) async throws(QdrantError) -> Result {
        let policy = configuration.retry
        let host = configuration.hostForMessages
        let deadline = Self.clock.now + policy.deadline
        return try await retrying(
            attempts: policy.maxAttempts, deadline: deadline,
            wait: { retry, retryAfter in
                policy.delay(beforeRetry: retry, retryAfter: retryAfter, jitter: Double.random(in: 0...1))
            },
            final: { error, attempts in error.with(attempts: attempts) },
            cancelled: { attempts in QdrantError(.cancelled, "the Qdrant request was cancelled", attempts: attempts) },
            attempt: { (attempt: Int) async throws(Failure) -> Result in
                let data: Data
                do {
                    data = try await attemptOnce(method, path, query: query, body: body, deadline: deadline)
                } catch let error as Failure {
                    throw error
                } catch let error as QdrantError {
                    throw Failure(error: error, retryable: false)
                } catch {
                    throw Failure(error: QdrantError(.unavailable, "the request to \(host) failed"), retryable: false)
                }
                do {
                    return try JSONDecoder().decode(QdrantBodies.Envelope<Result>.self, from: data).result
                } catch {
                    throw Failure(
                        error: QdrantError(.badResponse, "\(host) answered \(path) with an unexpected body"),
                        retryable: false)
                }
            })
    }

    /// Why one attempt failed, and whether another may succeed.
    private typealias Failure = AttemptFailure<QdrantError>

    private func attemptOnce(
        _ method: HTTPMethod, _ path: String, query: String?, body: Data?, deadline: ContinuousClock.Instant
    ) async throws(Failure) -> Data {
        let host = configuration.hostForMessages
        if Task.isCancelled {
            throw Failure(error: QdrantError(.cancelled, "the Qdrant request was cancelled"), retryable: false)
        }
        let remaining = Self.clock.now.duration(to: deadline)
        guard remaining > .zero else {
            throw Failure(error: QdrantError(.timeout, "\(host) did not answer within the deadline"), retryable: false)
        }
        var request = HTTPClientRequest(url: baseURL + path + (query.map { "?" + $0 } ?? ""))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "aigov")
        if let key = configuration.apiKey { request.headers.add(name: "api-key", value: key) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        let timeout = min(configuration.requestTimeout, remaining)
        let response: HTTPClientResponse
        let data: NIOCore.ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
            data = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw transportFailure(error)
        }
        let status = Int(response.status.code)
        if (200..<300).contains(status) { return Data(data.readableBytesView) }
        throw httpFailure(status: status, headers: response.headers, body: data, path: path)
    }

    private func httpFailure(status: Int, headers: HTTPHeaders, body: NIOCore.ByteBuffer, path: String) -> Failure {
        let host = configuration.hostForMessages
        let retryAfter = headers.first(name: "retry-after").flatMap { QdrantRetryPolicy.retryAfter($0) }
        switch status {
        case 401, 403:
            // Plain text that may describe the key: not kept.
            return Failure(
                error: QdrantError(.unauthorized, "\(host) refused the API key (HTTP \(status))", httpStatus: status),
                retryable: false)
        case 429:
            return Failure(
                error: QdrantError(.rateLimited, "\(host) answered 429 Too Many Requests", httpStatus: status),
                retryable: true, retryAfter: retryAfter)
        case _ where QdrantRetryPolicy.isRetryable(status: status):
            return Failure(
                error: QdrantError(.unavailable, "\(host) answered HTTP \(status)", httpStatus: status),
                retryable: true, retryAfter: retryAfter)
        default:
            let detail = errorDetail(body)
            let code: QdrantError.Code =
                switch status {
                case 404: .notFound
                case 400, 409, 422: .badRequest
                case 500...599: .unavailable
                default: .badRequest
                }
            return Failure(
                error: QdrantError(
                    code, "\(host) refused \(path) with HTTP \(status)", httpStatus: status, detail: detail),
                retryable: false)
        }
    }

    /// Qdrant's `status.error`, with the API key scrubbed should Qdrant ever quote it.
    private func errorDetail(_ body: NIOCore.ByteBuffer) -> String? {
        guard
            let envelope = try? JSONDecoder().decode(
                QdrantBodies.ErrorEnvelope.self, from: Data(body.readableBytesView)),
            var text = envelope.status.error
        else { return nil }
        if let key = configuration.apiKey, !key.isEmpty { text = text.replacingOccurrences(of: key, with: "***") }
        return text
    }

    /// Maps an error of the HTTP stack; its description is never used (some quote header values).
    private func transportFailure(_ error: any Error) -> Failure {
        let host = configuration.hostForMessages
        if Task.isCancelled || error is CancellationError || (error as? HTTPClientError) == .cancelled {
            return Failure(error: QdrantError(.cancelled, "the Qdrant request was cancelled"), retryable: false)
        }
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                return Failure(error: QdrantError(.timeout, "\(host) did not answer in time"), retryable: true)
            }
            if error == .invalidURL || error == .emptyHost || error == .emptyScheme {
                return Failure(error: QdrantError(.invalidConfiguration, "QDRANT_URL is not usable"), retryable: false)
            }
        }
        return Failure(error: QdrantError(.unavailable, "could not reach \(host)"), retryable: true)
    }
}
