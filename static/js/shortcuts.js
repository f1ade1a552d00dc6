// One-key shortcuts for the review page: the button with data-key="c" is pressed by "c", etc.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) return;
  const button = document.querySelector(`button[data-key="${event.key}"]`);
  if (button) { event.preventDefault(); button.click(); }
});
