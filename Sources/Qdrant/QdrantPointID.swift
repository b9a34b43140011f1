import Crypto
import Foundation

/// Qdrant point ids for chunks: the UUIDv5 (RFC 9562, SHA-1 name-based) of the chunk id in a fixed namespace.
///
/// The same chunk id always gives the same point id, so pushing a chunk twice overwrites one point instead of
/// adding another: the mirror may repeat work after a crash or an outage and still never duplicates a point.
/// The namespace is itself `UUIDv5(NAMESPACE_URL, "aigov:qdrant:chunk_id")` =
/// `3905d479-3f37-5c61-9b2e-eb6c6bd4347e`; Python gives the same ids with
/// `uuid.uuid5(uuid.UUID("3905d479-3f37-5c61-9b2e-eb6c6bd4347e"), chunk_id)`. Changing it would orphan every
/// point of every existing collection.
public enum QdrantPointID {
    /// The namespace of chunk point ids.
    public static let namespace = UUID(uuidString: "3905d479-3f37-5c61-9b2e-eb6c6bd4347e")!

    /// The point id of `chunkID`, lower-case with hyphens (as Qdrant returns it).
    public static func forChunk(_ chunkID: String) -> String {
        uuid5(namespace: namespace, name: chunkID).uuidString.lowercased()
    }

    /// A name-based UUID, version 5.
    public static func uuid5(namespace: UUID, name: String) -> UUID {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        hasher.update(data: Data(name.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
