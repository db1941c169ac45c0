// LTI platform storage (lti.put_data / lti.get_data): keeps the launch state in the LMS's
// own frame when the browser blocks the tool's cookies inside the iframe.
(function () {
  "use strict";
  var box = document.getElementById("lti-storage");
  if (!box || !window.parent || window.parent === window) { return; }
  var target = box.getAttribute("data-target");
  var origin = box.getAttribute("data-origin");
  var frame = target === "_parent" ? window.parent : window.parent.frames[target];
  if (!frame) { return; }

  function call(subject, payload, onAnswer) {
    var id = subject + "-" + Math.random().toString(36).slice(2);
    function listen(event) {
      var data = event.data || {};
      if (event.origin !== origin || data.message_id !== id) { return; }
      window.removeEventListener("message", listen);
      onAnswer(data.error ? null : data);
    }
    window.addEventListener("message", listen);
    payload.subject = subject;
    payload.message_id = id;
    frame.postMessage(payload, origin);
  }

  var key = "kapcourse-state-" + box.getAttribute("data-state");
  if (box.getAttribute("data-mode") === "put") {
    call("lti.put_data", { key: key, value: box.getAttribute("data-state") }, function () {
      window.location.href = box.getAttribute("data-redirect");
    });
  } else {
    call("lti.get_data", { key: key }, function (answer) {
      var form = document.getElementById("lti-launch-form");
      if (answer && answer.value) {
        form.elements.lti_storage_state.value = answer.value;
        form.submit();
      }
    });
  }
})();
