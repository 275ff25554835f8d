// Staff pages. The sheet page prints without this file (the browser's own Print works);
// this only shows a Print button, and prints at once when the list's Print link asked for it.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  if (document.querySelector("[data-autoprint]")) {
    window.addEventListener("load", function () {
      window.print();
    });
  }
})();
