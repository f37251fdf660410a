// A form sent back with errors: move the focus (and the screen) to the first field in error, or to the
// form's own error message, so the person does not have to hunt for what to correct.
document.addEventListener("DOMContentLoaded", function () {
  var first = document.querySelector("form .is-invalid, form .alert-danger, form .alert-block");
  if (!first) {
    return;
  }
  if (!first.matches("input, select, textarea")) {
    first.setAttribute("tabindex", "-1");
  }
  first.focus();
  first.scrollIntoView({ block: "center" });
});
