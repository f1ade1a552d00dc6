// The protocol's print button: shown only where script runs (the print dialog is Ctrl+P
// without it), and no inline handler, which the content security policy would refuse.
(() => {
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
})();
