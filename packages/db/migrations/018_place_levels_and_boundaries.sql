-- Places as countries divide them (issue 14): any depth (a region under a region, a ward under a district), levels
-- named per country, and the shapes of places for sub-national maps.
--
-- `places.level` stays the kind of place Marsad reasons about (country, region, city, district: who may be a city
-- focal point, what the world map draws as a country); `level_code` names the country's own level for it (oblys,
-- province, municipality, ward), described once per country in place_levels. A place without one is named by its
-- kind.
CREATE TABLE place_levels (
  country_id integer NOT NULL REFERENCES places(id) ON DELETE CASCADE,
  code text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  kind text NOT NULL CHECK (kind IN ('region', 'city', 'district')),
  names jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (country_id, code)
);
ALTER TABLE places ADD COLUMN level_code text;

-- The shape of a place: a GeoJSON Polygon or MultiPolygon in WGS 84 (longitude, latitude), simplified for the web
-- when it was imported (`points` after simplification), with where it came from.
CREATE TABLE place_boundaries (
  place_id integer PRIMARY KEY REFERENCES places(id) ON DELETE CASCADE,
  geometry jsonb NOT NULL,
  points integer NOT NULL,
  bbox double precision[] NOT NULL,
  source_file text,
  match_property text,
  match_value text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
