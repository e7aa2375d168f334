/* Starts Wagtail's date and time pickers, chooser widgets and inline panels (a page's repeated
   items, the moderation workflow's task list) from data attributes instead of the
   inline <script> Wagtail writes after each widget, which the Content-Security-Policy refuses to run.
   The markers come from lms/templates/wagtailadmin/widgets/*_input.html and lms.admin_widgets;
   widgets added later (a dialog opening, a new inline form) are started when they appear. */
(function () {
  "use strict";
  var DATE_INITS = ["initDateChooser", "initTimeChooser", "initDateTimeChooser"];
  var CHOOSERS = ["Chooser", "PageChooser", "ImageChooser", "DocumentChooser", "SnippetChooser", "TaskChooser"];
  var PANELS = ["InlinePanel", "MultipleChooserPanel"];

  function start(marker) {
    var name = marker.getAttribute("data-lms-widget-init");
    var id = marker.getAttribute("data-lms-widget-id");
    var config = JSON.parse(marker.getAttribute("data-lms-widget-config") || "{}");
    marker.removeAttribute("data-lms-widget-init");
    if (DATE_INITS.indexOf(name) !== -1 && typeof window[name] === "function") {
      window[name](id, config);
    } else if (CHOOSERS.indexOf(name) !== -1 && typeof window[name] === "function") {
      new window[name](id, config);
    } else if (PANELS.indexOf(name) !== -1 && typeof window[name] === "function") {
      new window[name](config);
    } else if (name === "createTaskChooser" && typeof window.createTaskChooser === "function") {
      window.createTaskChooser(id);
    }
  }

  function startAll(root) {
    if (root.nodeType !== 1) return;
    if (root.hasAttribute("data-lms-widget-init")) start(root);
    root.querySelectorAll("[data-lms-widget-init]").forEach(start);
  }

  function ready() {
    startAll(document.body);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(startAll);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
