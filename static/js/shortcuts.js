// One-key decisions on the review page.
//
// An element with data-key="KeyC" answers the key in that place on the keyboard (event.code),
// whatever the layout: on the Ukrainian one that key types "с", on the English one "c". A
// button or a summary is clicked; a field is focused, its text selected. Keys do nothing while
// one types in a field, with a modifier held, on a held-down key's repeats, or while a decision
// is on its way or its answer is being swapped in.
//
// htmx sends the decision and swaps the next row's panel in; focus then goes to the new row's
// heading, or to the error summary when the decision was refused, so that keyboard and screen
// reader users know where they are.
(() => {
  const typing = (element) =>
    element && (["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName) || element.isContentEditable);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (typing(document.activeElement)) return;
    // A decision on its way, or a panel htmx has swapped in but not yet made live.
    if (document.querySelector(".htmx-request, .htmx-added, .htmx-settling")) return;
    const target = document.querySelector(`[data-key="${event.code}"]`);
    if (!target || target.disabled) return;
    event.preventDefault();
    if (typing(target)) {
      target.focus();
      if (target.select) target.select(); // what one types next replaces the prefilled query
      return;
    }
    target.click();
    if (target.tagName === "SUMMARY" && target.parentElement.open) {
      const first = target.parentElement.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    }
  });

  const focusPanel = () => {
    const panel = document.getElementById("review-panel");
    if (!panel) return;
    const target = panel.querySelector(".error-summary") || panel.querySelector("#row-heading");
    if (target) target.focus();
  };
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.target.id === "review-panel" || event.target.closest("#review-panel")) focusPanel();
  });

  // A decision that got no answer (the network, or the server failing): say so in the panel.
  const failed = () => {
    const panel = document.getElementById("review-panel");
    if (!panel) return;
    panel.querySelectorAll(".error-summary").forEach((old) => old.remove());
    const summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    summary.textContent = panel.dataset.failed;
    panel.prepend(summary);
    focusPanel();
  };
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
