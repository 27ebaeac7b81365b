// Proposal form: focus the error summary, count the description's characters as they are typed.
(function () {
  "use strict";

  var summary = document.getElementById("erreurs");
  if (summary) {
    summary.focus();
    // A link of the summary puts the focus in its field (a plain anchor only scrolls to it).
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) {
          return;
        }
        event.preventDefault();
        var label = document.querySelector("label[for='" + field.id + "']");
        (label || field).scrollIntoView();
        field.focus({ preventScroll: true });
      });
    });
  }

  function plural(count, word) {
    return count + "\u00a0" + word + (count > 1 ? "s" : "");
  }

  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var output = document.getElementById(area.getAttribute("data-counter"));
    var max = parseInt(area.getAttribute("maxlength"), 10);
    var min = parseInt(area.getAttribute("data-minlength"), 10);
    if (!output || !max) {
      return;
    }
    var update = function () {
      var length = area.value.length;
      var text = plural(length, "caractère") + " sur " + max;
      if (length < min) {
        text += " (encore " + plural(min - length, "caractère") + " au minimum)";
      } else {
        text += " (" + plural(max - length, "caractère") + " restant" + (max - length > 1 ? "s" : "") + ")";
      }
      output.textContent = text;
    };
    output.hidden = false;
    area.addEventListener("input", update);
    update();
  });
})();
