// Starts Swagger UI on the project's own OpenAPI document (no inline script, no CDN).
(function () {
  var container = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: container.dataset.specUrl, dom_id: "#swagger-ui" });
})();
