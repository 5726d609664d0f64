/**
 * Session settings at the top of every SQL and COPY file, so psql loads the values exactly as they
 * were printed whatever the target's defaults: literals use standard strings (backslashes are
 * literal), dates and intervals are read in the ISO/postgres styles the source printed them in, XML
 * values may be fragments (as pg_dump's `xmloption = content`). No timestamps or host names: the
 * same rows give the same bytes.
 */
export const POSTGRES_SCRIPT_HEADER = [
  "SET client_encoding = 'UTF8';",
  'SET standard_conforming_strings = on;',
  "SET DateStyle = 'ISO, YMD';",
  'SET IntervalStyle = postgres;',
  'SET xmloption = content;',
  'SET client_min_messages = warning;',
  '',
].join('\n');
