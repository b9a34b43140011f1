import Hummingbird

/// The handler of each ``APIOperation``: the switch is exhaustive, so an operation declared in ``APIContract``
/// without a handler does not compile.
struct RouteHandlers: Sendable {
    typealias Handler = @Sendable (Request, APIRequestContext) async throws -> Response

    let pages: PublicRoutes
    let web: WebRoutes
    let search: SearchRoutes
    let auth: AuthRoutes
    let content: ContentRoutes
    let admin: AdminRoutes
    let users: UserRoutes
    let origins: OriginRoutes
    let jobs: CrawlJobRoutes
    let dashboard: DashboardRoutes

    init(state: ServerState) {
        pages = PublicRoutes(state: state)
        web = WebRoutes(state: state)
        search = SearchRoutes(state: state)
        auth = AuthRoutes(state: state)
        content = ContentRoutes(state: state)
        admin = AdminRoutes(state: state)
        users = UserRoutes(state: state)
        origins = OriginRoutes(state: state)
        jobs = CrawlJobRoutes(state: state)
        dashboard = DashboardRoutes(state: state)
    }

    func handler(for operation: APIOperation) -> Handler {
        switch operation {
        case .askPage: { [web] _, _ in await web.askPage() }
        case .documentsPage: web.documentsPage
        case .readPage: web.readPage
        case .originalFile: web.originalFile
        case .adminPage: { [web] _, _ in web.adminPage() }
        case .asset: web.asset
        case .health: { [pages] _, _ in pages.health() }
        case .ready: { [pages] _, context in try await pages.ready(context) }
        case .metrics: { [pages] _, _ in await pages.metrics() }
        case .openAPI: { [pages] _, _ in pages.openAPI() }
        case .docs: { [web] _, _ in web.docsPage() }
        case .query: search.query
        case .retrieve: search.retrieve
        case .login: auth.login
        case .me: auth.me
        case .ingestText: content.ingest
        case .upload: content.upload
        case .listDocuments: admin.list
        case .getDocument: admin.detail
        case .deleteDocument: admin.delete
        case .adminHealth: admin.health
        case .listUsers: users.list
        case .createUser: users.create
        case .updateUser: users.update
        case .listOrigins: origins.list
        case .createOrigin: origins.create
        case .updateOrigin: origins.update
        case .deleteOrigin: origins.delete
        case .originStatus: origins.status
        case .crawlOrigin: jobs.crawl
        case .listJobs: jobs.list
        case .getJob: jobs.detail
        case .dashboardOverview: jobs.overview
        case .dashboardTimeseries: jobs.timeseries
        case .dashboardOrigins: dashboard.origins
        case .dashboardOrigin: dashboard.origin
        case .dashboardOriginConfig: dashboard.originConfig
        case .dashboardDocuments: dashboard.documents
        case .dashboardDocument: dashboard.document
        case .dashboardSettings: dashboard.settings
        case .updateDashboardSettings: dashboard.updateSettings
        }
    }
}
