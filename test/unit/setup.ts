// Loaded by mocha before the unit tests (.mocharc.json "require"). Property tests run with one
// fixed seed so CI is deterministic; FC_SEED=random explores new inputs (the seed is printed so
// a failure can be replayed with FC_SEED=<seed>).
import fc from 'fast-check';

const env = process.env.FC_SEED;
const seed = env === 'random' ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(env ?? 20261121);
if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${env}`);
fc.configureGlobal({ seed });
if (env === 'random') console.log(`fast-check seed: ${seed} (replay with FC_SEED=${seed})`);
