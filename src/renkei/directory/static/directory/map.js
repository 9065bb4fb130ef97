/* Map of the directory: Leaflet with clustered markers, kept in step with the result list.
   Without JavaScript or without tiles the page still works: the list is server-rendered and the
   map simply shows markers on a blank background. */
(function () {
  "use strict";

  var el = document.getElementById("facility-map");
  if (!el || typeof L === "undefined") {
    return;
  }
  var REGION_CENTER = [40.45, 141.35];

  function addTiles(map) {
    if (!el.dataset.tileUrl) {
      return;
    }
    L.tileLayer(el.dataset.tileUrl, {
      attribution: el.dataset.tileAttribution || "",
      maxZoom: 18,
    }).addTo(map);
  }

  function popupContent(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    box.appendChild(link);
    var meta = document.createElement("div");
    meta.textContent = properties.category_label + (properties.acceptance_status !== "unknown" ? "・" + properties.acceptance_label : "");
    box.appendChild(meta);
    return box;
  }

  if (el.dataset.point) {
    var point = el.dataset.point.split(",").map(Number);
    var small = L.map(el, { scrollWheelZoom: false }).setView(point, 15);
    addTiles(small);
    L.marker(point, { alt: el.dataset.name || "" }).addTo(small);
    el.dataset.loaded = "true";
    return;
  }

  var panel = document.getElementById("map-panel");
  if (panel) {
    panel.hidden = false;  // the map needs JavaScript; without it the page is the list alone
  }
  var form = document.getElementById("search-form");
  var results = document.getElementById("results");
  var sync = document.getElementById("map-sync");
  var bboxInput = document.getElementById("id_bbox");
  var hint = document.getElementById("map-hint");
  // On a touch screen one finger scrolls the page over the map; two fingers (or a tap first) move it.
  var touchFirst = L.Browser.mobile || (window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
  var map = L.map(el, { scrollWheelZoom: false, dragging: !touchFirst }).setView(REGION_CENTER, 10);
  el.renkeiMap = map;
  el.dataset.dragging = String(!touchFirst);

  function setDragging(on) {
    if (on) {
      map.dragging.enable();
    } else {
      map.dragging.disable();
    }
    el.dataset.dragging = String(on);
    if (hint) {
      hint.textContent = on
        ? "地図を1本の指で動かせます（地図の外をタップすると、ページのスクロールに戻ります）。"
        : "地図は2本の指で動かせます。地図をタップすると1本の指でも動かせます。";
    }
  }
  if (touchFirst) {
    if (hint) {
      hint.hidden = false;
    }
    setDragging(false);
    map.on("click", function () { setDragging(true); });
    document.addEventListener("touchstart", function (event) {
      if (map.dragging.enabled() && !el.contains(event.target)) {
        setDragging(false);
      }
    }, { passive: true });
  }
  addTiles(map);
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
  map.addLayer(cluster);
  // Moves made by this script (fitting the results) must not narrow the list; only the user's do.
  // Programmatic moves are made without animation, so their moveend fires while the flag is set.
  var programmaticMove = false;
  var lastRequest = 0;

  function show(collection) {
    cluster.clearLayers();
    var markers = collection.features.map(function (feature) {
      var coordinates = feature.geometry.coordinates;
      return L.marker([coordinates[1], coordinates[0]], { alt: feature.properties.name, title: feature.properties.name })
        .bindPopup(popupContent(feature.properties));
    });
    cluster.addLayers(markers);
    el.dataset.markerCount = String(markers.length);
    el.dataset.loaded = "true";
    return markers;
  }

  function formParams() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") {
        params.append(key, value);
      }
    });
    return params;
  }

  function loadMarkers(url, fit) {
    return fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        var markers = show(collection);
        if (fit && markers.length) {
          programmaticMove = true;
          map.fitBounds(L.featureGroup(markers).getBounds().pad(0.1), { maxZoom: 15, animate: false });
        } else if (fit && el.dataset.center) {
          programmaticMove = true;
          map.setView(el.dataset.center.split(",").map(Number), 13, { animate: false });
        }
        programmaticMove = false;
      })
      .catch(function () { programmaticMove = false; });
  }

  function refreshList() {
    var params = formParams();
    var request = ++lastRequest;
    var listParams = new URLSearchParams(params);
    listParams.set("fragment", "results");
    fetch(form.action + "?" + listParams.toString(), { headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (request !== lastRequest) {
          return;
        }
        results.innerHTML = html;
        window.history.replaceState(null, "", form.action + "?" + params.toString());
      });
    loadMarkers(el.dataset.geojsonUrl.split("?")[0] + "?" + params.toString(), false);
  }

  function refreshForView() {
    var bounds = map.getBounds();
    bboxInput.disabled = false;
    bboxInput.value = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (value) { return value.toFixed(5); }).join(",");
    refreshList();
  }

  // Unticking the option (or 「解除」 beside the notice) brings back the whole list and its markers.
  function clearBbox() {
    bboxInput.value = "";
    bboxInput.disabled = true;
    if (sync) {
      sync.checked = false;
    }
    refreshList();
  }
  if (sync) {
    sync.addEventListener("change", function () {
      if (sync.checked) {
        refreshForView();
      } else {
        clearBbox();
      }
    });
  }
  results.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-action='clear-bbox']") : null;
    if (target) {
      event.preventDefault();
      clearBbox();
    }
  });

  map.on("moveend", function () {
    if (!programmaticMove && sync && sync.checked) {
      refreshForView();
    }
  });

  loadMarkers(el.dataset.geojsonUrl, !(bboxInput && bboxInput.value));
  // After 検索 (a page opened with conditions), bring the results into view when the filters and
  // the map push them below the fold, as on a phone.
  var searched = new URLSearchParams(window.location.search);
  searched.delete("page");
  if (searched.toString() && !window.location.hash) {
    var top = results.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.6) {
      results.scrollIntoView({ block: "start" });
    }
  }
  if (bboxInput && bboxInput.value) {
    var box = bboxInput.value.split(",").map(Number);
    programmaticMove = true;
    map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { animate: false });
    programmaticMove = false;
  }
})();
