/**
 * Random bytes from Web Crypto, a global in browsers and in Node ≥ 19 (the Node of every VS Code
 * this extension supports), so both extension hosts use the same code. Typed by hand: the host
 * part has no DOM types, and @types/node 20.9 does not declare the global.
 */
interface WebCrypto {
  getRandomValues(array: Uint8Array): Uint8Array;
}

export function randomBytes(n: number): Uint8Array {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (!crypto) throw new Error('this extension host has no Web Crypto (crypto.getRandomValues)');
  return crypto.getRandomValues(new Uint8Array(n));
}
