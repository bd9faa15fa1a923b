/**
 * Conventions of whole-inference views: the names of what the client derives (`View.derived`), in
 * the order it derives them, and the parties' seeded random sources. The experiments write them,
 * the simulators reproduce them, the suites' features read them.
 *
 * - `i<k>/slots/<layer>/<part>/<c>`: every slot of returned ciphertext c of a linear layer's part,
 *   decrypted (a share: uniform mod p in every slot);
 * - `i<k>/noise/<layer>/<part>/<c>`: the decryption noise of its coefficients;
 * - `i<k>/share/<layer>`: a garbled layer's decoded outputs (the client's new share);
 * - `i<k>/output/<layer>`: the argmax's class (an output, not a share);
 * - `i<k>/result`: the inference's result (logits mod p, or the label);
 * - `and-permute-bits`: the point-and-permute bit of every AND output label the client evaluated.
 * k counts the session's inferences from 0.
 */
import type { Party } from '../../core/channel.ts';
import { seededRandom, type RandomSource } from '../../core/random.ts';

export const derivedKey = {
  slots: (inference: number, layer: string, part: number, ciphertext: number) => `i${inference}/slots/${layer}/${part}/${ciphertext}`,
  noise: (inference: number, layer: string, part: number, ciphertext: number) => `i${inference}/noise/${layer}/${part}/${ciphertext}`,
  share: (inference: number, layer: string) => `i${inference}/share/${layer}`,
  output: (inference: number, layer: string) => `i${inference}/output/${layer}`,
  result: (inference: number) => `i${inference}/result`,
};

export const PERMUTE_BITS_KEY = 'and-permute-bits';
/** Every share the client derives: decrypted slots and decoded garbled outputs (uniform mod p). */
export const SHARE_KEYS = /^i\d+\/(slots|share)\//;
export const NOISE_KEYS = /^i\d+\/noise\//;
export const SLOT_KEYS = /^i\d+\/slots\//;
export const RESULT_KEYS = /^i\d+\/(result|output\/)/;

/** A party's session randomness from its seed (what the experiments give the engine, and what a simulator replays). */
export function partyRandom(seed: string, party: Party): RandomSource {
  return seededRandom(seed, `inference-${party}`);
}
