/* A read-only link field selects its whole text on a tap, ready to copy (was an inline onclick,
   which the Content-Security-Policy does not run). */
document.addEventListener("focusin", function (event) {
  var field = event.target;
  if (field.matches && field.matches("input[data-select-on-focus]")) field.select();
});
