#!/usr/bin/python3
"""Renders a raster (a path, or /vsicurl/URL for a published COG) to a PNG with QGIS's own map
renderer, as QGIS draws a layer an analyst adds, and prints what the image holds.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 bin/qgis-render.py SOURCE OUT.png [SIZE] [OVERLAY]
OVERLAY: a vector file (GeoJSON, shapefile) drawn as outlines over the raster.
Needs Debian's qgis (python3-qgis). Prints JSON: {"valid", "crs", "width", "height",
"distinct_colours", "non_background"}.
"""
import json
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

source, out = sys.argv[1], sys.argv[2]
size = int(sys.argv[3]) if len(sys.argv) > 3 else 512
overlay = sys.argv[4] if len(sys.argv) > 4 else None
app = QgsApplication([], False)
app.initQgis()
layer = QgsRasterLayer(source, "published", "gdal")
if not layer.isValid():
    print(json.dumps({"valid": False, "error": layer.error().summary()}))
    sys.exit(1)
layers = [layer]
if overlay is not None:
    outlines = QgsVectorLayer(overlay, "overlay", "ogr")
    if not outlines.isValid():
        print(json.dumps({"valid": False, "error": f"cannot open the overlay {overlay}"}))
        sys.exit(1)
    symbol = outlines.renderer().symbol()
    symbol.setColor(QColor(0, 0, 0, 0))
    symbol.symbolLayer(0).setStrokeColor(QColor(220, 40, 40))
    symbol.symbolLayer(0).setStrokeWidth(0.6)
    layers.insert(0, outlines)
settings = QgsMapSettings()
settings.setLayers(layers)
settings.setDestinationCrs(layer.crs())
settings.setExtent(layer.extent())
settings.setOutputSize(QSize(size, size))
background = QColor(255, 255, 255)
settings.setBackgroundColor(background)
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
image = job.renderedImage()
image.save(out, "png")
colours = set()
non_background = 0
for y in range(0, image.height(), 4):
    for x in range(0, image.width(), 4):
        rgb = image.pixel(x, y) & 0xFFFFFF
        colours.add(rgb)
        if rgb != background.rgb() & 0xFFFFFF:
            non_background += 1
print(json.dumps({
    "valid": True,
    "crs": layer.crs().authid(),
    "width": image.width(),
    "height": image.height(),
    "distinct_colours": len(colours),
    "non_background": non_background,
}))
sys.stdout.flush()
# QGIS (Debian 12's) can crash while tearing down after a headless render: leave at once.
os._exit(0)
