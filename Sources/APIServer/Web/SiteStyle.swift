/// The one stylesheet of every page (`/assets/site.css`): system fonts, contrast of at least 4.5:1 for text
/// (WCAG AA), a focus ring that is always visible, and a layout that works from 320 px wide up.
enum SiteStyle {
    static let css = #"""
        :root { --text: #1d1d1f; --muted: #4a4a4f; --link: #0b57d0; --accent-bg: #eef3fd; --border: #c9ccd3;
                --error: #a50e0e; --ok: #0b6b2f; }
        * { box-sizing: border-box; }
        body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--text); margin: 0;
               background: #fff; }
        a { color: var(--link); }
        :focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
        .skip:focus { left: .5rem; }
        header.site { border-bottom: 1px solid var(--border); padding: .6rem 1rem; display: flex; gap: 1rem;
                      align-items: baseline; flex-wrap: wrap; }
        header.site .brand { font-weight: 700; font-size: 1.15rem; color: var(--text); text-decoration: none; }
        header.site nav a { margin-right: .8rem; }
        main { max-width: 54rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.45rem; margin: .4rem 0; }
        h2 { font-size: 1.15rem; margin: 1.2rem 0 .4rem; }
        .sub, .muted { color: var(--muted); }
        form.ask { display: grid; gap: .6rem; }
        label { font-weight: 600; }
        textarea, input[type=text], input[type=password], input[type=search], select {
            font: inherit; padding: .45rem; border: 1px solid #767680; border-radius: 4px; width: 100%; }
        textarea { min-height: 4.5rem; resize: vertical; }
        .filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .6rem; }
        .filters label, .inline label { font-weight: 400; display: grid; gap: .2rem; }
        .actions { display: flex; gap: .5rem; flex-wrap: wrap; }
        button { font: inherit; padding: .4rem .9rem; border: 1px solid #1a4fb5; background: #1a56c4; color: #fff;
                 border-radius: 4px; cursor: pointer; }
        button.secondary { background: #fff; color: #1a4fb5; }
        button:disabled { background: #d9dbe0; border-color: #b0b3ba; color: #4a4a4f; cursor: default; }
        #status { color: var(--muted); min-height: 1.5rem; }
        .error { color: var(--error); }
        .ok { color: var(--ok); }
        #answer p { margin: .6rem 0; }
        a.cite { text-decoration: none; font-weight: 600; }
        .mode { font-size: .9rem; color: var(--muted); }
        ol.sources { padding-left: 1.4rem; }
        ol.sources li { margin: .7rem 0; padding: .3rem .5rem; border-radius: 4px; }
        ol.sources li.cited { background: var(--accent-bg); }
        ol.sources li:target { outline: 2px solid #1a73e8; }
        .where { color: var(--muted); }
        .links { display: flex; gap: .8rem; flex-wrap: wrap; font-size: .95rem; }
        details pre, .passage { white-space: pre-wrap; font: 15px/1.5 system-ui, sans-serif; }
        details pre { background: #f6f7f9; padding: .5rem; }
        .recent ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem; }
        .recent button { background: #fff; color: #1a4fb5; font-size: .9rem; }
        article.chunk { border-top: 1px solid var(--border); padding: .6rem 0; scroll-margin-top: 1rem; }
        article.chunk:target { background: var(--accent-bg); outline: 2px solid #1a73e8; }
        article.chunk h2 { font-size: 1rem; margin: .2rem 0; }
        .chunk-nav { font-size: .9rem; display: flex; gap: 1rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .35rem .4rem; border-bottom: 1px solid var(--border); vertical-align: top;
                 overflow-wrap: anywhere; }
        th { overflow-wrap: normal; }
        .panel { border: 1px solid var(--border); border-radius: 6px; padding: .8rem; margin: .8rem 0; }
        .grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: .8rem; }
        progress { width: 100%; }
        .hidden { display: none; }
        .op { border: 1px solid var(--border); border-radius: 6px; margin: .8rem 0; padding: .2rem .8rem; }
        .method { display: inline-block; min-width: 4rem; font-weight: 700; text-transform: uppercase; }
        .get { color: #05734a; } .post { color: #0b57d0; } .delete { color: #a52a00; } .put { color: #8a5300; }
        code, pre { font: 13px/1.4 ui-monospace, monospace; }
        .op pre, #schemas pre { background: #f6f7f9; padding: .5rem; overflow-x: auto; }
        .lock { color: #8a5300; font-size: .85rem; }
        summary { cursor: pointer; }
        @media (max-width: 480px) { main { padding: .6rem; } h1 { font-size: 1.25rem; } }
        """#
}
