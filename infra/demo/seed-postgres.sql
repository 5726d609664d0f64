-- Demo analytics schema for `npm run demo` (PostgreSQL). Deterministic: same rows every run.
DROP SCHEMA IF EXISTS analytics CASCADE;
CREATE SCHEMA analytics;

CREATE TYPE analytics.event_kind AS ENUM ('view', 'cart', 'checkout', 'refund');

CREATE TABLE analytics.events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id integer NOT NULL,
  kind analytics.event_kind NOT NULL,
  at timestamptz NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  tags text[] NOT NULL DEFAULT '{}',
  session uuid NOT NULL
);
CREATE INDEX events_order_idx ON analytics.events (order_id, at);
COMMENT ON TABLE analytics.events IS 'Storefront events, one row per user action';

INSERT INTO analytics.events (order_id, kind, at, payload, tags, session)
SELECT 1 + (g % 200),
       (ARRAY['view', 'cart', 'checkout', 'refund']::analytics.event_kind[])[1 + g % 4],
       timestamptz '2024-03-01 10:00:00+00' + g * interval '17 minutes',
       jsonb_build_object('page', '/p/' || (g % 20), 'ms', g % 1000),
       CASE WHEN g % 3 = 0 THEN ARRAY['mobile', 'promo'] ELSE ARRAY['web'] END,
       md5('session' || (g % 97))::uuid
FROM generate_series(1, 2000) AS g;
