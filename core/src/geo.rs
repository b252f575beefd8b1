//! Geographic coordinates and great-circle distance.

use serde::{Deserialize, Serialize};

/// Mean earth radius in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Geographic coordinates in degrees (WGS 84).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    /// Latitude, −90 ..= 90.
    pub lat: f64,
    /// Longitude, −180 ..= 180.
    pub lon: f64,
}

impl GeoPoint {
    /// A point at `lat`, `lon`.
    #[must_use]
    pub fn new(lat: f64, lon: f64) -> Self {
        GeoPoint { lat, lon }
    }

    /// Whether the coordinates are finite and in range.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.lat.is_finite() && self.lon.is_finite() && (-90.0..=90.0).contains(&self.lat) && (-180.0..=180.0).contains(&self.lon)
    }

    /// Great-circle distance in kilometres (haversine).
    #[must_use]
    pub fn distance_km(&self, other: &GeoPoint) -> f64 {
        Self::haversine_to_km(self.haversine(other))
    }

    /// The haversine of the central angle to `other`: grows with the distance, so it
    /// orders points by distance without the inverse trigonometry.
    #[must_use]
    pub fn haversine(&self, other: &GeoPoint) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = (other.lat - self.lat).to_radians();
        let dl = (other.lon - self.lon).to_radians();
        (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2)
    }

    /// Kilometres for a value of [`GeoPoint::haversine`].
    #[must_use]
    pub fn haversine_to_km(h: f64) -> f64 {
        2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_to_munich_is_about_504_km() {
        let berlin = GeoPoint::new(52.5200, 13.4050);
        let munich = GeoPoint::new(48.1351, 11.5820);
        let d = berlin.distance_km(&munich);
        assert!((d - 504.0).abs() < 2.0, "{d}");
        assert_eq!(berlin.distance_km(&berlin), 0.0);
        assert!(!GeoPoint::new(91.0, 0.0).is_valid());
        assert!(!GeoPoint::new(f64::NAN, 0.0).is_valid());
    }
}
