import express from 'express';
import type { RequestHandler } from 'express';

/** True for JSON media types (`application/json`, `application/*+json`). */
export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** True for media types read as text (`text/*`, YAML). */
export function isTextMediaType(mediaType: string): boolean {
  return mediaType.startsWith('text/') || mediaType.endsWith('/yaml') || mediaType.endsWith('/x-yaml');
}

/**
 * The body parser for one declared media type, capped at `limitBytes`: JSON objects and arrays
 * (`strict`), text as a UTF-8 string, anything else as a Buffer. Each parser only reads requests
 * whose Content-Type is `mediaType`; the registry picks the parser after matching the type.
 */
export function bodyParserFor(mediaType: string, limitBytes: number): RequestHandler {
  if (isJsonMediaType(mediaType)) return express.json({ type: mediaType, limit: limitBytes, strict: true });
  if (isTextMediaType(mediaType)) return express.text({ type: mediaType, limit: limitBytes, defaultCharset: 'utf-8' });
  return express.raw({ type: mediaType, limit: limitBytes });
}
