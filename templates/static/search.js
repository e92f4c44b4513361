// Search with Pagefind's UI. The page works without this script: it then says how to browse instead.
// Loaded as a file (no inline script), so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  function start() {
    var mount = document.getElementById("search");
    if (!mount || typeof PagefindUI === "undefined") {
      return;
    }
    // The bundle path is relative to this page; results are relative to the site's root, wherever
    // the site is served from.
    var bundle = new URL(mount.getAttribute("data-bundle-path"), document.baseURI);
    var base = bundle.pathname.replace(/pagefind\/$/, "");
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle.pathname,
      baseUrl: base,
      showSubResults: false,
      showImages: false,
      resetStyles: false
    });
    labelInput(mount);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }
  // Pagefind's box has only a placeholder; tie it to the page's visible label instead.
  function labelInput(mount) {
    var label = document.getElementById("search-label");
    var tie = function () {
      var input = mount.querySelector("input[type=text], input[type=search]");
      if (!input || !label) {
        return false;
      }
      input.id = "search-input";
      label.setAttribute("for", "search-input");
      label.hidden = false;
      return true;
    };
    if (!tie()) {
      new MutationObserver(function (changes, observer) {
        if (tie()) {
          observer.disconnect();
        }
      }).observe(mount, { childList: true, subtree: true });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
