// Dynamic registration finished: ask the LMS to close the registration window.
(function () {
  "use strict";
  var box = document.querySelector("[data-lti-close]");
  if (!box) { return; }
  var parentWindow = window.opener || window.parent;
  if (parentWindow && parentWindow !== window) {
    parentWindow.postMessage({ subject: "org.imsglobal.lti.close" }, "*");
  }
})();
