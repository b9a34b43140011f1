/// `/assets/read.js`: moves keyboard focus to the passage named in the address (`#chunk-...`), so a learner who
/// followed a citation continues reading from it with the keyboard or a screen reader, not from the top.
enum ReadScript {
    static let javascript = #"""
        "use strict";
        (function () {
          function focusTarget() {
            const id = location.hash.slice(1);
            if (!id) return;
            // Anchors hold the chunk id percent-encoded, as the links spell it; some browsers hand it back decoded.
            let target = document.getElementById(id);
            if (!target) {
              try { target = document.getElementById("chunk-" + encodeURIComponent(decodeURIComponent(id.slice(6)))); }
              catch (e) { target = null; }
            }
            if (target) target.focus({preventScroll: false});
          }
          window.addEventListener("hashchange", focusTarget);
          focusTarget();
        })();
        """#
}
