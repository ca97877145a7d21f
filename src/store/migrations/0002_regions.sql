-- The seven NHS England regions (ODS codes Y56–Y63, as used by the ODS etr file).
-- Source: NHS England / ODS region codes, Open Government Licence v3.0.
INSERT INTO regions (code, name) VALUES
  ('Y56', 'London'),
  ('Y58', 'South West'),
  ('Y59', 'South East'),
  ('Y60', 'Midlands'),
  ('Y61', 'East of England'),
  ('Y62', 'North West'),
  ('Y63', 'North East and Yorkshire');
