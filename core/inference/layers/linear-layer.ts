/**
 * A linear layer under HE (design §2 step 3), with an optional square of its input (square.ts).
 * Client: packs its share c in each input layout, uploads [c] (and [c²]), decrypts each part's
 * result W·x + b − r and unpacks it. Server: adds its share s, applies the layer on its HE workers,
 * subtracts a fresh mask r that is uniform in every slot (slots that `unpack` ignores hold
 * weight-dependent values), floods, mod-switches, returns; its output share is unpack(r).
 */
import { concatBytes } from '../../bytes.ts';
import { ProtocolError } from '../../errors.ts';
import { addMod } from '../../modp.ts';
import type { LinearStage } from '../plan.ts';
import { crossTermLayer, crossTermSlots, squareMod } from '../square.ts';
import { layerUnits, partWeights, type PartInputs } from '../server-he.ts';
import { label, type ClientContext, type ClientLayer, type ServerContext, type ServerLayer } from './context.ts';

/** `pending`, marked as handled: it is awaited later, after other awaits during which it may fail. */
function awaitedLater<T>(pending: Promise<T>): Promise<T> {
  pending.catch(() => {});
  return pending;
}

/** Split `bytes` into `count` ciphertexts of `size` bytes. */
function split(bytes: Uint8Array, count: number, size: number): Uint8Array[] {
  // Copies, not views: a view sent to a worker would clone its whole underlying buffer.
  return Array.from({ length: count }, (_, i) => bytes.slice(i * size, (i + 1) * size));
}

/**
 * output[start + i] += values[i] mod p: output slices fill disjoint ranges, work pieces add their
 * partial sums over the whole range (each party does the same with its share).
 */
function addInto(output: Uint32Array, values: Uint32Array, start: number, p: number): void {
  for (let i = 0; i < values.length; i++) output[start + i] = addMod(output[start + i]!, values[i]!, p);
}

/** Per input group: the first part's input ciphertext count (every part of a group has the same layout). */
function groupCiphertexts(stage: LinearStage): number[] {
  const counts: number[] = [];
  for (const part of stage.parts) counts[part.inputGroup] ??= part.inputCiphertexts;
  return counts;
}

export class LinearServer implements ServerLayer {
  #share: Uint32Array | null = null;
  #masks: Uint32Array[][] = [];

  constructor(
    private readonly stage: LinearStage,
    private readonly ctx: ServerContext,
  ) {}

  async offline(inputShare: Uint32Array | null): Promise<Uint32Array> {
    const { stage, ctx } = this;
    const { p, slotCount } = ctx.plan;
    this.#share = inputShare;
    const output = new Uint32Array(stage.outputLength);
    this.#masks = stage.parts.map((part) => {
      const flat = ctx.masks.sample(ctx.random, part.outputCiphertexts * slotCount, p);
      const mask = Array.from({ length: part.outputCiphertexts }, (_, c) => flat.subarray(c * slotCount, (c + 1) * slotCount));
      addInto(output, ctx.layouts(part).outputLayout.unpack(mask), part.outputStart, p);
      return mask;
    });
    if (stage.square && stage.layer.kind === 'dense') {
      const weights = ctx.model.weights.get(stage.name)!;
      const share = inputShare ?? new Uint32Array(stage.inputLength);
      await Promise.all(stage.parts.map((part, k) => ctx.he.prepareSessionLayer(ctx.session, stage, k, crossTermLayer(partWeights(weights, part, layerUnits(stage)), share, p))));
    }
    return output;
  }

  async online(): Promise<void> {
    const { stage, ctx } = this;
    ctx.channel.setLabel(label('online', stage.name));
    const counts = groupCiphertexts(stage);
    const size = ctx.wireSizes.upload;
    const uploads = counts.map((n) => (stage.square ? 2 * n : n));
    const bytes = await ctx.channel.recv(uploads.reduce((s, n) => s + n, 0) * size, 'ciphertext');
    let at = 0;
    const groups = uploads.map((n, g) => {
      const cts = split(bytes.subarray(at * size, (at += n) * size), n, size);
      return { plain: cts.slice(0, counts[g]), squared: stage.square ? cts.slice(counts[g]) : null };
    });
    const share = this.#share;
    const inputs: PartInputs[] = stage.parts.map((part, k) => {
      const group = groups[part.inputGroup]!;
      const layout = ctx.layouts(part).inputLayout;
      return {
        inputs: group.plain,
        share: share && !group.squared ? layout.pack(share) : null,
        mask: this.#masks[k]!,
        squared: group.squared && {
          inputs: group.squared,
          cross: stage.layer.kind === 'dense' ? { kind: 'session-layer' } : { kind: 'product', ...crossTermSlots(layout, share ?? new Uint32Array(stage.inputLength), ctx.plan.p) },
        },
      };
    });
    // Every part runs at once; a part that fails while an earlier one is awaited must not become an
    // unhandled rejection (which would end the process): its failure surfaces when its turn comes.
    const results = ctx.he.linear(ctx.session, stage, inputs, ctx.minMarginBits).map(awaitedLater);
    // Send each part as soon as it is ready, in part order (the client expects that order).
    for (const pending of results) {
      const result = await pending;
      ctx.margins.push(...result.marginBits);
      await ctx.channel.send(concatBytes(result.ciphertexts), 'ciphertext');
    }
  }
}

export class LinearClient implements ClientLayer {
  constructor(
    private readonly stage: LinearStage,
    private readonly ctx: ClientContext,
  ) {}

  async offline(): Promise<void> {}

  async online(inputShare: Uint32Array): Promise<Uint32Array> {
    const { stage, ctx } = this;
    const { p } = ctx.plan;
    ctx.channel.setLabel(label('online', stage.name));
    if (inputShare.length !== stage.inputLength) throw new RangeError(`layer ${stage.name}: ${inputShare.length} input values, expected ${stage.inputLength}`);
    const squared = stage.square ? squareMod(inputShare, p) : null;
    const slots: Uint32Array[] = [];
    const seen = new Set<number>();
    for (const part of stage.parts) {
      if (seen.has(part.inputGroup)) continue;
      seen.add(part.inputGroup);
      const layout = ctx.layouts(part).inputLayout;
      slots.push(...layout.pack(inputShare));
      if (squared) slots.push(...layout.pack(squared));
    }
    const uploads = await ctx.he.request('encrypt', { session: ctx.session, slots });
    await ctx.channel.send(concatBytes(uploads), 'ciphertext');
    const output = new Uint32Array(stage.outputLength);
    const decrypted: Promise<Uint32Array[]>[] = [];
    const received: Uint8Array[][] = [];
    for (const part of stage.parts) {
      const size = ctx.wireSizes.returned;
      const ciphertexts = split(await ctx.channel.recv(part.outputCiphertexts * size, 'ciphertext'), part.outputCiphertexts, size);
      if (ctx.observer?.noise) received.push(ciphertexts);
      // Decrypt in the HE worker while the next part arrives.
      decrypted.push(
        awaitedLater(ctx.he.request('decrypt', { session: ctx.session, ciphertexts }).then((result) => {
          const values = ctx.layouts(part).outputLayout.unpack(result);
          if (values.length !== part.outputLength) throw new ProtocolError(`layer ${stage.name}: part decrypted to ${values.length} values, expected ${part.outputLength}`);
          addInto(output, values, part.outputStart, p);
          return result;
        })),
      );
    }
    const parts = await Promise.all(decrypted);
    if (ctx.observer) await this.#report(parts, received);
    return output;
  }

  /** Tell the audit's observer what this layer decrypted (in part order), and the noise if it asks. */
  async #report(slots: readonly Uint32Array[][], received: readonly Uint8Array[][]): Promise<void> {
    const { stage, ctx } = this;
    const observer = ctx.observer!;
    slots.forEach((s, k) => observer.decrypted?.(stage.name, k, s));
    for (const [k, ciphertexts] of received.entries()) observer.noise?.(stage.name, k, await ctx.he.request('decryption-noise', { session: ctx.session, ciphertexts }));
  }
}
