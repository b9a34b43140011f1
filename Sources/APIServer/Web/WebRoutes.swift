import Foundation
import HTTPTypes
import Hummingbird
import Knowledge
import Store

/// The web pages (docs/ARCHITECTURE.md, "The web console"): the ask page, the documents list, a document's read
/// page and its original file, the administration page, and their assets. Pages are HTML put together on the
/// server from escaped text; their behaviour is in same-origin scripts under `/assets/`.
struct WebRoutes: Sendable {
    let state: ServerState

    /// Documents offered by the ask page's filter: the first ones by the store's order; past this many the
    /// filter would be a list nobody scrolls, and a question can still name its document.
    static let filterDocuments = 200

    func askPage() async -> Response {
        // The page still serves when the database does not answer, without the filter's documents.
        let documents = (try? await state.store.documents(limit: Self.filterDocuments, offset: 0)) ?? []
        let options = documents.map { (id: $0.id, title: $0.title) }.sorted {
            $0.title.localizedStandardCompare($1.title) == .orderedAscending
        }
        return page(AskPage.html(documents: options))
    }

    func docsPage() -> Response { page(DocsPage.html) }

    func adminPage() -> Response { page(AdminPage.html) }

    func documentsPage(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let offset = try AdminRoutes.integer(request, "offset", default: 0, range: AdminRoutes.offsets)
        let limit = AdminRoutes.defaultPageSize
        let documents = try await state.store.documents(limit: limit, offset: offset)
        let total = try await state.store.counts().documents
        return page(DocumentsPage.html(documents: documents, total: total, offset: offset, limit: limit))
    }

    func readPage(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try AdminRoutes.documentID(context)
        guard let document = try await state.store.document(id: id) else {
            return page(ReadPage.notFound(), status: .notFound)
        }
        let chunks = try await state.store.chunks(documentID: id)
        let original = state.knowledgeBase.originalFile(of: document) != nil
        return page(ReadPage.html(document: document, chunks: chunks, hasOriginal: original))
    }

    /// The kept original: a PDF as `application/pdf` (browsers open it at `#page=N`), anything else as plain
    /// text, so a kept HTML page can never run as a page of this origin.
    func originalFile(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try AdminRoutes.documentID(context)
        guard let document = try await state.store.document(id: id) else {
            return page(ReadPage.notFound(), status: .notFound)
        }
        guard let file = state.knowledgeBase.originalFile(of: document),
            let data = try? Data(contentsOf: file, options: .mappedIfSafe)
        else {
            if let url = document.url, url.lowercased().hasPrefix("https://") || url.lowercased().hasPrefix("http://") {
                return Response(status: .found, headers: [.location: url, .cacheControl: "no-store"])
            }
            return page(ReadPage.notFound(), status: .notFound)
        }
        let isPDF = data.starts(with: Array("%PDF-".utf8))
        var headers: HTTPFields = [
            .contentType: isPDF ? "application/pdf" : "text/plain; charset=utf-8",
            .cacheControl: "private, max-age=3600",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ]
        let name = String(
            (document.title.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0 != "\"" })
                .prefix(100).map(Character.init))
        headers[.contentDisposition] =
            "inline; filename=\"\(name.isEmpty ? "original" : name)\(isPDF ? ".pdf" : ".txt")\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    func asset(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name"), let asset = WebAssets.all[name] else {
            throw APIError.notFound("no such asset")
        }
        return Response(
            status: .ok,
            headers: PageHeaders.fields(contentType: asset.contentType, cache: "public, max-age=31536000, immutable"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: asset.body)))
    }

    private func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: PageHeaders.fields(contentType: "text/html; charset=utf-8", cache: "no-store"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
