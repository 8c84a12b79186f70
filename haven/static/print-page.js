// A "Print" button on a page meant for paper: <button data-print>. (No inline handlers: the
// Content-Security-Policy allows scripts from Haven's own files only.)
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
