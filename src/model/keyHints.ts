/**
 * What a schema cannot say about a key it does not know: the word the writer probably meant.
 * Spelling slips are caught by edit distance (suggest.ts) and misplaced keys by the schema
 * (schemaPlaces.ts); these are the words close in meaning, not in spelling.
 */

/** Other words for a key; the key is suggested where it is valid, or said where it belongs. */
export const SYNONYMS: Readonly<Record<string, string>> = {
  learning_rate: 'lr',
  weights: 'W',
  weight: 'W',
  bias: 'b',
  biases: 'b',
  x: 'input',
  inputs: 'input',
  y: 'target',
  targets: 'target',
  epochs: 'steps',
  iterations: 'steps',
  mu: 'momentum',
  beta_1: 'beta1',
  beta_2: 'beta2',
  epsilon: 'eps',
  name: 'type',
};

/** Keys that are not the file's to set. */
export const NOT_IN_THE_FILE: Readonly<Record<string, string>> = {
  limits: 'limits are set by the editor or the command line, not by the model file',
};
