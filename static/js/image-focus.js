/*
 * The media library's focal point (images/admin.py): click the subject in the preview to fill
 * in "focal point across" and "down" (percent). Without this script the two fields are typed.
 *   .dossier-focus[data-focus-x][data-focus-y]   the preview; the data attributes name the
 *                                                 ids of the two number inputs; data-x and
 *                                                 data-y hold the saved point ("" for none)
 *   .dossier-focus__marker                        where the focal point is, made here (the CSP
 *                                                 refuses style attributes in the page)
 */
(function () {
  "use strict";

  function start(frame) {
    var inputX = document.getElementById(frame.dataset.focusX);
    var inputY = document.getElementById(frame.dataset.focusY);
    var image = frame.querySelector("img");
    if (!inputX || !inputY || !image) {
      return;
    }
    var marker = null;
    function place(x, y) {
      if (!marker) {
        marker = document.createElement("span");
        marker.className = "dossier-focus__marker";
        frame.appendChild(marker);
      }
      marker.style.left = x + "%";
      marker.style.top = y + "%";
    }
    if (frame.dataset.x !== "" && frame.dataset.y !== "") {
      place(frame.dataset.x, frame.dataset.y);
    }
    image.style.cursor = "crosshair";
    image.title = "Click the subject to set the focal point";
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      var x = Math.round(((event.clientX - box.left) / box.width) * 100);
      var y = Math.round(((event.clientY - box.top) / box.height) * 100);
      x = Math.min(100, Math.max(0, x));
      y = Math.min(100, Math.max(0, y));
      inputX.value = x;
      inputY.value = y;
      place(x, y);
    });
  }

  function onReady() {
    document.querySelectorAll(".dossier-focus").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onReady);
  } else {
    onReady();
  }
})();
