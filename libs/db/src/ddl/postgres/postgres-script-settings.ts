/**
 * Session settings a PostgreSQL DDL script starts with (as pg_dump's do): UTF-8, standard strings
 * (the literals are rendered for it), an empty search_path (every name in the script is
 * schema-qualified, as it was deparsed under an empty path), no body checks of functions, and only
 * warnings and errors reported (no "already exists, skipping" notices).
 */
export const POSTGRES_SCRIPT_SETTINGS = [
  'SET statement_timeout = 0;',
  'SET lock_timeout = 0;',
  "SET client_encoding = 'UTF8';",
  'SET standard_conforming_strings = on;',
  "SELECT pg_catalog.set_config('search_path', '', false);",
  'SET check_function_bodies = false;',
  'SET client_min_messages = warning;',
].join('\n');
