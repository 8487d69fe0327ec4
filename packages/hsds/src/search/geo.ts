// Distances on the Earth's surface and the latitude/longitude box around a circle, used to
// prefilter points before the exact great-circle test.
import { haversineMetres } from '../resolve/geo.js';

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in kilometres (haversine). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  return haversineMetres(lat1, lon1, lat2, lon2) / 1000;
}

export interface Box {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** A box holding every point within `radiusKm` of the centre (wider near the poles; whole longitudes there). */
export function boundingBox(latitude: number, longitude: number, radiusKm: number): Box {
  const dLat = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI);
  const minLat = Math.max(-90, latitude - dLat);
  const maxLat = Math.min(90, latitude + dLat);
  const cos = Math.cos(rad(Math.max(Math.abs(minLat), Math.abs(maxLat))));
  const dLon = cos < 1e-9 ? 180 : Math.min(180, dLat / cos);
  if (dLon >= 180 || longitude - dLon < -180 || longitude + dLon > 180)
    return { minLat, maxLat, minLon: -180, maxLon: 180 };
  return { minLat, maxLat, minLon: longitude - dLon, maxLon: longitude + dLon };
}
