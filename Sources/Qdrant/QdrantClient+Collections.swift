// Building hybrid collections and switching the configured name between them (ARCHITECTURE.md, "Hybrid search
// inside Qdrant"): `QDRANT_COLLECTION` names an alias; the collections behind it are built whole and swapped.
import AsyncHTTPClient
import Foundation
import NIOHTTP1

extension QdrantClient {
    /// A client of the same server, key and settings for another collection (a collection being built).
    public func bound(to collection: String) throws(QdrantError) -> QdrantClient {
        var configuration = self.configuration
        configuration.collection = collection
        return try QdrantClient(configuration: configuration, httpClient: httpClient)
    }

    /// The collection the configured name stands for: the alias's target when it is an alias, nil when it is not
    /// an alias (a collection of that name, or nothing).
    public func aliasTarget() async throws(QdrantError) -> String? {
        let list: QdrantBodies.AliasList = try await call(.GET, "/aliases", body: nil)
        return list.aliases.first { $0.aliasName == configuration.collection }?.collectionName
    }

    /// Creates this client's collection as a hybrid one (``QdrantCollectionSchema/hybrid(size:)``) with
    /// `metadata`, and its payload indexes.
    public func createHybridCollection(dimension: Int, metadata: QdrantHybridMetadata) async throws(QdrantError) {
        let dense = QdrantBodies.NamedVectorParams(size: dimension, distance: "Cosine", multivectorConfig: nil)
        let windows = QdrantBodies.NamedVectorParams(
            size: dimension, distance: "Cosine", multivectorConfig: .init(comparator: "max_sim"))
        let body = QdrantBodies.CreateHybridCollection(
            vectors: [QdrantCollectionSchema.denseVector: dense, QdrantCollectionSchema.windowsVector: windows],
            sparseVectors: [QdrantCollectionSchema.sparseVector: .init(modifier: "idf")], metadata: metadata)
        let _: QdrantBodies.Ignored = try await call(.PUT, collectionPath, body: try encode(body))
        try await createPayloadIndexes()
    }

    /// Points the configured name at `collection` in one request: the alias is replaced atomically, so every
    /// request goes to the old collection or to the new one, never to neither.
    public func pointAlias(to collection: String, replacing: Bool) async throws(QdrantError) {
        typealias Actions = QdrantBodies.AliasActions
        var actions: [Actions.Action] = []
        if replacing { actions.append(Actions.Action(deleteAlias: .init(aliasName: configuration.collection))) }
        actions.append(
            Actions.Action(createAlias: .init(collectionName: collection, aliasName: configuration.collection)))
        let _: QdrantBodies.Ignored = try await call(
            .POST, "/collections/aliases", query: "wait=true", body: try encode(Actions(actions: actions)))
    }

    /// Deletes the collection named `name` (not an alias); a missing one is not an error.
    public func deleteCollection(named name: String) async throws(QdrantError) {
        let path = "/collections/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
        do {
            let _: QdrantBodies.Ignored = try await call(.DELETE, path, body: nil)
        } catch  where error.code == .notFound {
            return
        }
    }

    /// The collection facts aigov reads from `GET /collections/{c}`.
    static func describe(_ info: QdrantBodies.CollectionInfo) -> QdrantCollectionInfo {
        let params = info.config.params
        var result = QdrantCollectionInfo(
            vectorSize: params.vectors?.size, distance: params.vectors?.distance, pointsCount: info.pointsCount)
        if let single = params.vectors {
            result.schema = single.distance.lowercased() == "cosine" ? .single(size: single.size) : .other
        } else if let named = params.namedVectors,
            let dense = named[QdrantCollectionSchema.denseVector],
            let windows = named[QdrantCollectionSchema.windowsVector],
            dense.distance.lowercased() == "cosine", windows.distance.lowercased() == "cosine",
            windows.size == dense.size, windows.multivectorConfig?.comparator == "max_sim",
            params.sparseVectors?[QdrantCollectionSchema.sparseVector]?.modifier?.lowercased() == "idf",
            let metadata = info.config.metadata
        {
            result.schema = .hybrid(size: dense.size)
            result.hybrid = metadata
            result.vectorSize = dense.size
            result.distance = dense.distance
        }
        return result
    }
}
