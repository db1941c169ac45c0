// Submit forms marked data-autopost (the deep-linking response); the button stays for no-JS.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-autopost]");
  for (var i = 0; i < forms.length; i += 1) { forms[i].submit(); }
})();
