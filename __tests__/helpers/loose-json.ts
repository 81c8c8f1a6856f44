/**
 * Parsed JSON as tests read and edit it, unchecked: a test builds its own input, and a wrong
 * field fails the test. lib/ reads parsed JSON as JsonObject (lib/json.ts), never through this.
 */
export type Json = Record<string, any>;
