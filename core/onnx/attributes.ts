/** Typed access to an ONNX node's attributes (absent ones fall back to the operator's default). */
import type { OnnxAttribute, OnnxNode } from './read-onnx.ts';
import { int64ToNumber as toNumber } from './numbers.ts';
import { decodeTensor, type ConstTensor } from './tensor.ts';


export class NodeAttributes {
  private readonly byName: ReadonlyMap<string, OnnxAttribute>;

  constructor(node: OnnxNode) {
    this.byName = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a?.i == null ? fallback : toNumber(a.i);
  }

  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a?.f == null ? fallback : a.f;
  }

  ints(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? (a.ints ?? []).map(toNumber) : undefined;
  }

  floats(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? [...(a.floats ?? [])] : undefined;
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a?.s == null || a.s.length === 0 ? fallback : new TextDecoder().decode(a.s);
  }

  /** A tensor attribute (Constant's `value`), decoded; a string says why it cannot be read. */
  tensor(name: string): ConstTensor | string | undefined {
    const a = this.byName.get(name);
    return a?.t ? decodeTensor(a.t) : undefined;
  }
}
