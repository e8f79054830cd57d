// Click-to-load videos: the player's frame is made only when the viewer presses play, so the
// video's host sees nothing of a visit that never plays. The page's CSP allows just that frame.
document.querySelectorAll(".video-facade").forEach(function (facade) {
  var button = facade.querySelector(".video-facade-play");
  if (!button) return;
  button.addEventListener("click", function () {
    var frame = document.createElement("iframe");
    frame.src = facade.dataset.embed;
    frame.title = facade.dataset.title;
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin";
    frame.className = "video-frame";
    facade.replaceChildren(frame);
    frame.focus();
  });
});
