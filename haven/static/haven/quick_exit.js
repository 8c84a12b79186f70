/* Quick exit (issue 14): the button [data-quick-exit] and the Escape key replace this page,
   and its entry in the browser's history, with the agency's neutral site, so Back does not
   return here. Links marked [data-replace] (the language switcher) replace the page too, so
   moving around these pages adds no history entries either. No third-party code, no storage. */
(function () {
  "use strict";

  function exitUrl() {
    var button = document.querySelector("[data-quick-exit]");
    return button ? button.href : "https://www.google.com/search?q=weather";
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    // Hide the page at once: the next site may take a moment to load.
    document.documentElement.style.visibility = "hidden";
    document.title = "";
    window.location.replace(exitUrl());
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      leave(event);
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("a") : null;
    if (!target) {
      return;
    }
    if (target.hasAttribute("data-quick-exit")) {
      leave(event);
    } else if (target.hasAttribute("data-replace") && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      window.location.replace(target.href);
    }
  });

  // Coming back to a page kept in the back-forward cache: leave again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.documentElement.style.visibility === "hidden") {
      window.location.replace(exitUrl());
    }
  });
})();
