// Guwah desk: the little the pages need beyond htmx. No inline scripts (CSP).
"use strict";
document.documentElement.classList.add("js"); // hides the buttons only plain forms need
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopPropagation();
  }
}, true);
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("flash");
  if (box && event.detail.xhr) {
    box.textContent = event.detail.xhr.responseText.replace(/<[^>]*>/g, "").trim();
  }
});
document.addEventListener("htmx:beforeRequest", function () {
  var box = document.getElementById("flash");  // a new request: the last error is old news
  if (box) { box.textContent = ""; }
});
