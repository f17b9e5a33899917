// The bell in the header: fetch the unread count once the page is shown, so that no page spends a
// query on it and cached pages stay the same for everyone.
(function () {
  var bell = document.getElementById("notice-bell");
  if (!bell) { return; }
  var badge = bell.querySelector(".notice-count");
  fetch(bell.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { unread: 0 }; })
    .then(function (data) {
      if (data.unread > 0) {
        badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
        badge.classList.remove("d-none");
        bell.setAttribute("aria-label", bell.dataset.labelUnread.replace("N", String(data.unread)));
      }
    })
    .catch(function () { /* the bell stays quiet; the list is a click away */ });
})();
