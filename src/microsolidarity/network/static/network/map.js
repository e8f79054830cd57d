// The network map with JavaScript: Leaflet over the same outlines (no tile layer, no request
// to anyone else), pins clustered. Without JavaScript the server-drawn SVG stays.
(function () {
  "use strict";
  function start() {
    var holder = document.getElementById("leaflet-map");
    var dataNode = document.getElementById("network-map-data");
    if (!holder || !dataNode || !window.L || !window.topojson) { return; }
    var pins = JSON.parse(dataNode.textContent);
    fetch(holder.dataset.atlas, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (topology) {
        holder.classList.remove("is-hidden");
        var figure = document.getElementById("network-map-figure");
        var map = L.map(holder, { worldCopyJump: true, minZoom: 1, maxZoom: 8, attributionControl: false });
        var countries = window.topojson.feature(topology, topology.objects.countries);
        L.geoJSON(countries, {
          style: { color: "#8a8f98", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
          interactive: false
        }).addTo(map);
        var clusters = L.markerClusterGroup({ showCoverageOnHover: false });
        pins.features.forEach(function (feature) {
          var props = feature.properties;
          var coords = feature.geometry.coordinates;
          var badge = document.createElement("span");
          badge.className = "map-marker " + props.kind;
          if (props.kind === "members") { badge.textContent = String(props.count); }
          var marker = L.marker([coords[1], coords[0]], {
            icon: L.divIcon({ className: "", html: badge.outerHTML, iconSize: null }),
            title: props.kind === "members" ? props.label + ": " + props.count : props.label,
            keyboard: true
          });
          var popup = document.createElement("div");
          if (props.url) {
            var link = document.createElement("a");
            link.href = props.url;
            link.textContent = props.label;
            popup.appendChild(link);
          } else {
            popup.textContent = props.label + ": " + props.count;
          }
          marker.bindPopup(popup);
          clusters.addLayer(marker);
        });
        map.addLayer(clusters);
        map.fitBounds([[-55, -170], [75, 180]]);
        if (figure) { figure.classList.add("is-hidden"); }
      })
      .catch(function () { holder.classList.add("is-hidden"); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
