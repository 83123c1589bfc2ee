// Refreshes the review run's progress bar and its live text every two seconds until the run ends.
(function () {
  var box = document.getElementById("review-progress");
  if (!box) { return; }
  var bar = document.getElementById("review-bar");
  var text = document.getElementById("review-text");
  function finished(status) { return status === "done" || status === "failed"; }
  function poll() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.max = data.total || 1;
        bar.value = data.done;
        bar.textContent = data.done + " / " + data.total;
        text.textContent = data.text;
        if (finished(data.status)) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (!finished(box.dataset.status)) { window.setTimeout(poll, 1000); }
})();
