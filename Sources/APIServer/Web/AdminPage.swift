/// `GET /admin`: the administration console's frame (behaviour in ``AdminScript``). The page holds no data: it
/// signs in through `/api/auth/login`, keeps the token in a script variable only (never `localStorage` or a
/// cookie, so a reload signs out and no other site can make the browser send it: nothing to forge across sites),
/// and calls the admin API with it.
enum AdminPage {
    static let html = WebLayout.page(
        title: "Admin — aigov", current: "Admin",
        main: """
            <h1>Administration</h1>
            <section id="login-panel" aria-labelledby="login-title">
            <h2 id="login-title">Sign in</h2>
            <form id="login-form" class="ask" autocomplete="on">
            <label for="username">User name</label>
            <input id="username" name="username" type="text" autocomplete="username" required maxlength="200">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required
              maxlength="1024">
            <div class="actions"><button id="login" type="submit">Sign in</button></div>
            </form>
            <p id="login-error" class="error" role="alert"></p>
            </section>
            <div id="console" hidden>
            <p>Signed in as <strong id="who"></strong>.
            <button id="logout" type="button" class="secondary">Sign out</button></p>
            <nav aria-label="Administration" class="actions">
            <button type="button" class="secondary" data-panel="documents-panel" aria-controls="documents-panel">Documents</button>
            <button type="button" class="secondary" data-panel="origins-panel" aria-controls="origins-panel">Origins and jobs</button>
            <button type="button" class="secondary" data-panel="users-panel" aria-controls="users-panel">Users</button>
            <button type="button" class="secondary" data-panel="settings-panel" aria-controls="settings-panel">Settings</button>
            <button type="button" class="secondary" data-panel="health-panel" aria-controls="health-panel">System health</button>
            </nav>
            <p id="admin-status" role="status" aria-live="polite"></p>

            <section id="documents-panel" class="panel" aria-labelledby="documents-title">
            <h2 id="documents-title">Documents</h2>
            <form id="upload-form" class="ask">
            <label for="upload-file">Upload a document (PDF, text, Markdown or HTML; at most 64 MB)</label>
            <input id="upload-file" name="file" type="file" required>
            <label for="upload-title">Title (optional)</label>
            <input id="upload-title" name="title" type="text" maxlength="500">
            <div class="actions"><button id="upload" type="submit">Upload</button></div>
            <progress id="upload-progress" max="100" value="0" hidden aria-label="Upload progress"></progress>
            </form>
            <p id="upload-result" role="status" aria-live="polite"></p>
            <label for="document-filter">Filter by title</label>
            <input id="document-filter" type="search" autocomplete="off">
            <table>
            <caption id="documents-caption" class="muted"></caption>
            <thead><tr><th scope="col">Title</th><th scope="col">Type</th><th scope="col">Updated</th>
            <th scope="col">Actions</th></tr></thead>
            <tbody id="documents"></tbody>
            </table>
            <div class="actions"><button id="documents-previous" type="button" class="secondary">Previous</button>
            <button id="documents-next" type="button" class="secondary">Next</button></div>
            <section id="document-detail" class="panel" hidden aria-labelledby="detail-title" tabindex="-1">
            <h3 id="detail-title"></h3>
            <p id="detail-summary" class="muted"></p>
            <ol id="detail-chunks"></ol>
            </section>
            </section>

            <section id="origins-panel" class="panel" hidden aria-labelledby="origins-title">
            <h2 id="origins-title">Origins</h2>
            <form id="origin-form" class="ask">
            <div class="filters">
            <label for="origin-name">Name<input id="origin-name" type="text" required maxlength="200"></label>
            <label for="origin-url">Start URL<input id="origin-url" type="text" required maxlength="2000"
              placeholder="https://"></label>
            <label for="origin-hours">Every (hours)<input id="origin-hours" type="text" value="24"
              inputmode="numeric"></label>
            </div>
            <div class="actions"><button type="submit" id="origin-submit">Add origin</button>
            <button type="button" id="origin-cancel" class="secondary" hidden>Cancel edit</button></div>
            </form>
            <table>
            <thead><tr><th scope="col">Name</th><th scope="col">URL</th><th scope="col">Enabled</th>
            <th scope="col">Last run</th><th scope="col">Actions</th></tr></thead>
            <tbody id="origins"></tbody>
            </table>
            <h2>Crawl jobs</h2>
            <table>
            <thead><tr><th scope="col">Job</th><th scope="col">Origin</th><th scope="col">Status</th>
            <th scope="col">Pages</th><th scope="col">Errors</th></tr></thead>
            <tbody id="jobs"></tbody>
            </table>
            <section id="job-detail" class="panel" hidden aria-labelledby="job-title" tabindex="-1">
            <h3 id="job-title"></h3>
            <pre id="job-body"></pre>
            </section>
            </section>

            <section id="users-panel" class="panel" hidden aria-labelledby="users-title">
            <h2 id="users-title">Users</h2>
            <form id="user-form" class="ask">
            <div class="filters">
            <label for="new-username">User name<input id="new-username" type="text" required maxlength="150"
              autocomplete="off"></label>
            <label for="new-password">Password (12 characters or more)<input id="new-password" type="password"
              required minlength="12" maxlength="1024" autocomplete="new-password"></label>
            <label for="new-role">Role<select id="new-role"><option value="viewer">viewer</option>
            <option value="admin">admin</option></select></label>
            </div>
            <div class="actions"><button type="submit">Create user</button></div>
            </form>
            <table>
            <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Active</th>
            <th scope="col">Actions</th></tr></thead>
            <tbody id="users"></tbody>
            </table>
            <form id="password-form" class="ask">
            <h3>Change a password</h3>
            <div class="filters">
            <label for="password-user">User<select id="password-user" required></select></label>
            <label for="changed-password">New password<input id="changed-password" type="password" required
              minlength="12" maxlength="1024" autocomplete="new-password"></label>
            </div>
            <div class="actions"><button type="submit">Change password</button></div>
            </form>
            </section>

            <section id="settings-panel" class="panel" hidden aria-labelledby="settings-title">
            <h2 id="settings-title">Settings</h2>
            <p class="muted">Crawling and live web settings, shared by every replica. A saved value wins over the
            server's environment; "Reset" clears it, and the environment's value (or the default) applies again.
            Lists are comma-separated.</p>
            <form id="settings-form">
            <table>
            <thead><tr><th scope="col">Setting</th><th scope="col">Value</th><th scope="col">From</th>
            <th scope="col">Actions</th></tr></thead>
            <tbody id="settings"></tbody>
            </table>
            <div class="actions"><button id="settings-save" type="submit">Save settings</button></div>
            </form>
            </section>

            <section id="health-panel" class="panel" hidden aria-labelledby="health-title">
            <h2 id="health-title">System health</h2>
            <div class="actions"><button id="health-refresh" type="button" class="secondary">Refresh</button></div>
            <table><tbody id="health"></tbody></table>
            </section>
            </div>
            """,
        script: "admin.js")
}
