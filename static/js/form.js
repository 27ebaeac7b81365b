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

  // The limit is told, not enforced by a maxlength attribute: that would cut a pasted text without a word,
  // whereas the person needs the whole text to shorten it (the server refuses it until then).
  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var output = document.getElementById(area.getAttribute("data-counter"));
    var max = parseInt(area.getAttribute("data-maxlength"), 10);
    var min = parseInt(area.getAttribute("data-minlength"), 10);
    var group = area.closest(".fr-input-group");
    // An error the server found stays shown whatever the count says.
    var serverError = area.getAttribute("aria-invalid") === "true";
    if (!output || !max) {
      return;
    }
    var update = function () {
      var length = area.value.length;
      var over = length - max;
      var text = plural(length, "caractère") + " sur " + max;
      if (over > 0) {
        text += "\u00a0: " + plural(over, "caractère") + " de trop. Raccourcissez le texte pour pouvoir l’envoyer.";
      } else if (length < min) {
        text += " (encore " + plural(min - length, "caractère") + " au minimum)";
      } else {
        text += " (" + plural(max - length, "caractère") + " restant" + (max - length > 1 ? "s" : "") + ")";
      }
      output.textContent = text;
      output.classList.toggle("fr-message--error", over > 0);
      output.classList.toggle("fr-message--info", over <= 0);
      area.classList.toggle("fr-input--error", over > 0 || serverError);
      if (group) {
        group.classList.toggle("fr-input-group--error", over > 0 || serverError);
      }
      if (over > 0 || serverError) {
        area.setAttribute("aria-invalid", "true");
      } else {
        area.removeAttribute("aria-invalid");
      }
    };
    output.hidden = false;
    area.addEventListener("input", update);
    // Back to a form the browser restored (its cache, or the text it puts back): count what is there now.
    window.addEventListener("pageshow", update);
    update();
  });
})();
