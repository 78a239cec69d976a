import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES_DIR = join(import.meta.dirname, '../../../fixtures/platforms');

/** A platform payload fixture, parsed; each call returns a fresh copy to modify. */
export function platformFixture(path: string): Record<string, unknown> {
  return JSON.parse(platformFixtureText(path)) as Record<string, unknown>;
}

/** The fixture's bytes as a webhook body. */
export function platformFixtureText(path: string): string {
  return readFileSync(join(FIXTURES_DIR, path), 'utf8');
}
