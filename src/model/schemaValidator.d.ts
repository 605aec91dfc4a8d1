/**
 * The validator `npm run build` generates from media/bp-model.schema.json (ajv standalone code,
 * in schemaValidator.js next to this file, not in git). Options: every error, each with the
 * schema object that raised it and the value it judged; NaN and ±Infinity are not numbers;
 * defaults filled into the value.
 */

/** A JSON Schema object, as the file writes it. */
export interface JsonSchema {
  readonly [keyword: string]: unknown;
}

export interface SchemaError {
  readonly keyword: string;
  /** JSON Pointer of the value judged, '' for the whole file. */
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly params: { readonly [name: string]: unknown };
  /** The schema object holding the keyword. */
  readonly parentSchema: JsonSchema;
  /** The value judged. */
  readonly data: unknown;
}

interface Validate {
  /** Fills the schema's defaults into `data` as it goes. */
  (data: unknown): boolean;
  errors?: readonly SchemaError[] | null;
}

declare const validate: Validate;
export default validate;

/** The schema itself, for defaults and messages: known keys, where a key belongs, examples. */
export declare const schema: JsonSchema;
